package diskproto

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// flaky is a Sys whose calls fail with the errors in fails, one per call,
// and then succeed. Only Call and CallWith are implemented.
type flaky struct {
	ipc.Sys
	fails []error
	calls int
}

func (f *flaky) Call(dst ipc.Endpoint, req, rep *ipc.Message) error {
	return f.CallWith(dst, req, rep, nil)
}

func (f *flaky) CallWith(_ ipc.Endpoint, req, rep *ipc.Message, _ *ipc.Extra) error {
	f.calls++
	if f.calls <= len(f.fails) {
		return f.fails[f.calls-1]
	}
	*rep = ipc.Reply(req)
	if req.Type == Info {
		rep.SetWord(0, 4096)
		rep.SetWord(1, 100)
		copy(rep.Payload[16:], "ssd")
	}
	return nil
}

func died(n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = ipc.ErrServiceDied
	}
	return errs
}

func TestClientRetriesAfterTheDriverDied(t *testing.T) {
	ops := map[string]func(Client) error{
		"read":  func(c Client) error { return c.ReadBlocks(1, 1, make([]byte, 4096)) },
		"write": func(c Client) error { return c.WriteBlocks(1, 1, make([]byte, 4096)) },
		"flush": func(c Client) error { return c.Flush() },
		"info": func(c Client) error {
			g, err := c.Info()
			if err == nil && g != (Geometry{BlockSize: 4096, Blocks: 100, Kind: "ssd"}) {
				t.Errorf("Info() = %+v", g)
			}
			return err
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			sys := &flaky{fails: died(Retries)}
			assert.NoError(t, op(Client{Sys: sys}), "succeeds on the last try")
			assert.Equal(t, Retries+1, sys.calls)

			sys = &flaky{fails: died(Retries + 1)}
			assert.ErrorIs(t, op(Client{Sys: sys}), ipc.ErrServiceDied, "gives up after Retries")
			assert.Equal(t, Retries+1, sys.calls, "bounded")

			sys = &flaky{fails: []error{linux.EIO}}
			assert.ErrorIs(t, op(Client{Sys: sys}), linux.EIO, "other errors are the caller's")
			assert.Equal(t, 1, sys.calls)
		})
	}
}

func TestStatsIsNotRetried(t *testing.T) {
	sys := &flaky{fails: died(1)}
	_, err := Client{Sys: sys}.Stats()
	assert.ErrorIs(t, err, ipc.ErrServiceDied)
	assert.Equal(t, 1, sys.calls)
}
