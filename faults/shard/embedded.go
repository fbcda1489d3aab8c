//go:build !js

package shard

import (
	"errors"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// embedded starts a NATS server in this process: JetStream on, no port
// open (clients connect in-process), its store in a temporary directory
// that stop removes.
func embedded() (*server.Server, func(), error) {
	dir, err := os.MkdirTemp("", "mkos-nats-")
	if err != nil {
		return nil, nil, err
	}
	srv, err := server.NewServer(&server.Options{DontListen: true, JetStream: true, StoreDir: dir, NoSigs: true, NoLog: true})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	srv.Start()
	stop := func() {
		srv.Shutdown()
		srv.WaitForShutdown()
		os.RemoveAll(dir)
	}
	if !srv.ReadyForConnections(10 * time.Second) {
		stop()
		return nil, nil, errors.New("the embedded NATS server did not start")
	}
	return srv, stop, nil
}
