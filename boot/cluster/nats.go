//go:build !js

package cluster

import (
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// startServer starts an embedded NATS server: in-process only (port < 0:
// no listener, reached through nats.InProcessServer), or listening on
// host:port (0: any free port).
func startServer(host string, port int) (*server.Server, error) {
	opts := &server.Options{Host: host, Port: port, NoLog: true, NoSigs: true, MaxPayload: 2 << 20}
	if port < 0 {
		opts.DontListen, opts.Port = true, 0
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats server: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("nats server: not ready after 10s")
	}
	return srv, nil
}

// connect opens a connection to srv in-process, or to url when srv is nil.
func connect(srv *server.Server, url, name string) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name(name), nats.MaxReconnects(-1)}
	if srv != nil {
		opts = append(opts, nats.InProcessServer(srv))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("nats connect %s: %w", url, err)
	}
	return nc, nil
}

// Serve runs a standalone embedded NATS server on host:port (0: a free
// port; host "0.0.0.0" for other machines) for nodes in other processes
// (`mkos nats`); it returns the URL to give them and a function that
// stops the server.
func Serve(host string, port int) (url string, stop func(), err error) {
	srv, err := startServer(host, port)
	if err != nil {
		return "", nil, err
	}
	return srv.ClientURL(), srv.Shutdown, nil
}
