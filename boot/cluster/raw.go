//go:build !js

package cluster

import (
	"time"

	"github.com/nats-io/nats.go"
)

// RawRequest measures the raw NATS request round trip that a cross-node
// call rides on: n nats.Conn.Request calls of 64 bytes against a
// responder on a second connection to an embedded in-process server. It
// returns the host time per request.
func RawRequest(n int) (time.Duration, error) {
	srv, err := startServer("127.0.0.1", -1)
	if err != nil {
		return 0, err
	}
	defer srv.Shutdown()
	resp, err := connect(srv, "", "raw-responder")
	if err != nil {
		return 0, err
	}
	defer resp.Close()
	if _, err := resp.Subscribe("raw", func(m *nats.Msg) { _ = m.Respond(m.Data) }); err != nil {
		return 0, err
	}
	if err := resp.Flush(); err != nil {
		return 0, err
	}
	req, err := connect(srv, "", "raw-requester")
	if err != nil {
		return 0, err
	}
	defer req.Close()
	payload := make([]byte, 64)
	for range min(n, 100) { // warm up
		if _, err := req.Request("raw", payload, 5*time.Second); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	for range n {
		if _, err := req.Request("raw", payload, 5*time.Second); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / time.Duration(max(n, 1)), nil
}
