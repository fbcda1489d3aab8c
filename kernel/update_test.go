package kernel_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Request types of the counter, a Stateful test server.
const (
	uAdd  ipc.Type = 0x71 + iota // count++; reply W0 = count, W1 = the instance
	uPark                        // no reply until a uWake
	uWake                        // reply to every parked caller with the count, then to this one
)

// counter is a Stateful server: a count and the callers it parked. Its
// state is version 1: the count, then each parked endpoint, 8 bytes each.
type counter struct {
	count  uint64
	parked []ipc.Endpoint
	refuse bool // Restore refuses every state
}

func (c *counter) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case uAdd:
		c.count++
	case uPark:
		c.parked = append(c.parked, req.Source)
		return ipc.Message{Type: ipc.NoReply}
	case uWake:
		for _, ep := range c.parked {
			rep := ipc.Message{}
			rep.SetWord(0, c.count)
			rep.SetWord(1, uint64(ctx.Sys.Self()))
			_ = ctx.Sys.Reply(ep, &rep)
		}
		c.parked = nil
	default:
		return ipc.ErrorReply(req, ipc.ErrNoSys)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, c.count)
	rep.SetWord(1, uint64(ctx.Sys.Self()))
	return rep
}

func (c *counter) State() (int, []byte, error) {
	b := binary.LittleEndian.AppendUint64(nil, c.count)
	for _, ep := range c.parked {
		b = binary.LittleEndian.AppendUint64(b, uint64(ep))
	}
	return 1, b, nil
}

func (c *counter) Restore(version int, b []byte) error {
	if c.refuse || version != 1 || len(b)%8 != 0 || len(b) == 0 {
		return errors.New("counter: cannot read this state")
	}
	c.count = binary.LittleEndian.Uint64(b)
	for b = b[8:]; len(b) > 0; b = b[8:] {
		c.parked = append(c.parked, ipc.Endpoint(binary.LittleEndian.Uint64(b)))
	}
	return nil
}

// liveUpdate moves service name from instance old to a new instance
// serving next, as rs does: hold, state out, spawn, state in, commit,
// kill the old one; on any failure, abort. It returns the new instance.
func liveUpdate(sys ipc.Sys, name string, old ipc.Endpoint, next ipc.Server) (ipc.Endpoint, error) {
	if err := sys.Update(name, ipc.UpdateHold, old, 0); err != nil {
		return 0, err
	}
	buf := make([]byte, 1<<10)
	var get ipc.Message
	req := ipc.Message{Type: ipc.StateGet}
	if err := sys.CallWith(old, &req, &get, &ipc.Extra{Recv: buf}); err != nil || get.Errno != 0 {
		_ = sys.Update(name, ipc.UpdateAbort, old, 0)
		return 0, errors.Join(err, ipc.Errno(get.Errno))
	}
	state := buf[:get.Word(2)]
	ep, err := sys.Spawn(ipc.TaskSpec{Name: name, Body: serve(name, next)})
	if err == nil {
		put := ipc.Message{Type: ipc.StatePut}
		put.SetWord(0, get.Word(0))
		put.SetWord(1, uint64(len(state)))
		var rep ipc.Message
		err = sys.CallWith(ep, &put, &rep, &ipc.Extra{Send: state})
		if err == nil && rep.Errno != 0 {
			err = ipc.Errno(rep.Errno)
		}
	}
	if err != nil {
		_ = sys.Update(name, ipc.UpdateAbort, old, ep)
		_ = sys.Kill(ep)
		return 0, err
	}
	if err := sys.Update(name, ipc.UpdateCommit, old, ep); err != nil {
		return 0, err
	}
	return ep, sys.Kill(old)
}

// Clients call without pause while the counter is updated 30 times: no
// call fails, no increment is lost, and the count each client sees only
// grows.
func TestLiveUpdateUnderLoad(t *testing.T) {
	const clients, calls, updates = 3, 200, 30
	k := boot(t, kernel.Config{})
	first := spawn(t, k, "counter", serve("counter", &counter{}))
	var errs []error
	var last uint64
	done := 0
	for i := 0; i < clients; i++ {
		spawn(t, k, "client", func(sys ipc.Sys) {
			dst := service(t, sys, "counter")
			var prev uint64
			for j := 0; j < calls; j++ {
				_ = sys.Sleep(1000)
				var rep ipc.Message
				if err := sys.Call(dst, &ipc.Message{Type: uAdd}, &rep); err != nil || rep.Errno != 0 {
					errs = append(errs, errors.Join(err, ipc.Errno(rep.Errno)))
					continue
				}
				if rep.Word(0) <= prev {
					errs = append(errs, errors.New("count went back"))
				}
				prev = rep.Word(0)
				last = max(last, prev)
			}
			done++
		})
	}
	var upErrs []error
	var instances []ipc.Endpoint
	spawn(t, k, "updater", func(sys ipc.Sys) {
		old := first
		for i := 0; i < updates && done < clients; i++ {
			_ = sys.Sleep(5_000)
			ep, err := liveUpdate(sys, "counter", old, &counter{})
			if err != nil {
				upErrs = append(upErrs, err)
				continue
			}
			old = ep
			instances = append(instances, ep)
		}
	})
	run(t, k)
	assert.Empty(t, errs, "failed calls")
	assert.Empty(t, upErrs, "failed updates")
	assert.Len(t, instances, updates, "updates done while the clients ran")
	assert.Equal(t, uint64(clients*calls), last, "the last count: no increment lost")
	assertSettled(t, serviceInfo(t, k, "counter").Stats)
}

// A request the old instance parked (NoReply) is answered by the new one,
// from the state it was handed.
func TestLiveUpdateHandsOverParkedCalls(t *testing.T) {
	k := boot(t, kernel.Config{})
	first := spawn(t, k, "counter", serve("counter", &counter{}))
	var parkErr error
	var parked ipc.Message
	spawn(t, k, "parker", func(sys ipc.Sys) {
		parkErr = sys.Call(service(t, sys, "counter"), &ipc.Message{Type: uPark}, &parked)
	})
	var next ipc.Endpoint
	var upErr, wakeErr error
	spawn(t, k, "updater", func(sys ipc.Sys) {
		_ = sys.Sleep(10_000)
		next, upErr = liveUpdate(sys, "counter", first, &counter{})
		var rep ipc.Message
		wakeErr = sys.Call(service(t, sys, "counter"), &ipc.Message{Type: uWake}, &rep)
	})
	run(t, k)
	require.NoError(t, upErr)
	require.NoError(t, wakeErr)
	require.NoError(t, parkErr, "the parked call")
	assert.Equal(t, next, ipc.Endpoint(parked.Word(1)), "the instance that answered the parked call")
}

// A new instance that refuses the state is rolled back: the held requests
// go to the old instance, with its count intact.
func TestLiveUpdateAbortKeepsOldInstance(t *testing.T) {
	k := boot(t, kernel.Config{})
	first := spawn(t, k, "counter", serve("counter", &counter{}))
	var got []uint64
	var errs []error
	spawn(t, k, "client", func(sys ipc.Sys) {
		dst := service(t, sys, "counter")
		for i := 0; i < 50; i++ {
			var rep ipc.Message
			if err := sys.Call(dst, &ipc.Message{Type: uAdd}, &rep); err != nil {
				errs = append(errs, err)
			}
			if ipc.Endpoint(rep.Word(1)) == first {
				got = append(got, rep.Word(0))
			}
		}
	})
	var upErr error
	spawn(t, k, "updater", func(sys ipc.Sys) {
		_ = sys.Sleep(5_000)
		_, upErr = liveUpdate(sys, "counter", first, &counter{refuse: true})
	})
	run(t, k)
	assert.ErrorIs(t, upErr, ipc.ErrInvalid, "the refused state")
	assert.Empty(t, errs)
	assert.Len(t, got, 50, "every call answered by the old instance")
	assert.Equal(t, uint64(50), got[len(got)-1])
}

// Only a task with KUpdate may hold, switch or abort, or send StateGet and
// StatePut; the steps come in order; the state types never go to a
// service.
func TestLiveUpdateRules(t *testing.T) {
	user := ipc.UserPriv()
	tests := []struct {
		name string
		priv *ipc.Priv
		do   func(sys ipc.Sys, srv ipc.Endpoint) error
		want ipc.Errno
	}{
		{"a program holds a service", &user, func(sys ipc.Sys, _ ipc.Endpoint) error {
			return sys.Update("counter", ipc.UpdateHold, 0, 0)
		}, ipc.ErrPerm},
		{"a program asks an instance for its state", &user, func(sys ipc.Sys, srv ipc.Endpoint) error {
			var rep ipc.Message
			return sys.CallWith(srv, &ipc.Message{Type: ipc.StateGet}, &rep, &ipc.Extra{Recv: make([]byte, 64)})
		}, ipc.ErrPerm},
		{"a program forces a state on an instance", &user, func(sys ipc.Sys, srv ipc.Endpoint) error {
			return sys.Send(srv, &ipc.Message{Type: ipc.StatePut})
		}, ipc.ErrPerm},
		{"state asked of the service, not an instance", nil, func(sys ipc.Sys, _ ipc.Endpoint) error {
			var rep ipc.Message
			return sys.Call(service(t, sys, "counter"), &ipc.Message{Type: ipc.StateGet}, &rep)
		}, ipc.ErrInvalid},
		{"commit without a hold", nil, func(sys ipc.Sys, srv ipc.Endpoint) error {
			return sys.Update("counter", ipc.UpdateCommit, srv, srv)
		}, ipc.ErrInvalid},
		{"hold twice", nil, func(sys ipc.Sys, _ ipc.Endpoint) error {
			_ = sys.Update("counter", ipc.UpdateHold, 0, 0)
			return sys.Update("counter", ipc.UpdateHold, 0, 0)
		}, ipc.Errno(16)},
		{"commit to a task that is not an instance", nil, func(sys ipc.Sys, srv ipc.Endpoint) error {
			_ = sys.Update("counter", ipc.UpdateHold, 0, 0)
			defer sys.Update("counter", ipc.UpdateAbort, 0, 0)
			return sys.Update("counter", ipc.UpdateCommit, srv, sys.Self())
		}, ipc.ErrDead},
		{"an unknown step", nil, func(sys ipc.Sys, srv ipc.Endpoint) error {
			return sys.Update("counter", 99, srv, srv)
		}, ipc.ErrInvalid},
		{"an unknown service", nil, func(sys ipc.Sys, srv ipc.Endpoint) error {
			return sys.Update("nope", ipc.UpdateHold, 0, 0)
		}, ipc.ErrNoService},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			srv := spawn(t, k, "counter", serve("counter", &counter{}))
			var err error
			spawnSpec(t, k, ipc.TaskSpec{Name: "actor", Priv: tt.priv, Body: func(sys ipc.Sys) {
				_ = sys.Sleep(1000)
				err = tt.do(sys, srv)
			}})
			run(t, k)
			assertErrno(t, tt.want, err, "the step")
		})
	}
}

// An updater that dies holding a service does not leave it held: the new
// instance it started is killed, and the requests go on to the instance
// the service had.
func TestLiveUpdateHolderDeathReleases(t *testing.T) {
	k := boot(t, kernel.Config{})
	srv := spawn(t, k, "counter", serve("counter", &counter{}))
	spawn(t, k, "updater", func(sys ipc.Sys) {
		_ = sys.Update("counter", ipc.UpdateHold, srv, 0)
		_, _ = sys.Spawn(ipc.TaskSpec{Name: "counter", Body: serve("counter", &counter{count: 1000})})
		_ = sys.Sleep(50_000)
		sys.Exit(1)
	})
	var err error
	var rep ipc.Message
	var at int64
	spawn(t, k, "client", func(sys ipc.Sys) {
		_ = sys.Sleep(1000)
		err = sys.Call(service(t, sys, "counter"), &ipc.Message{Type: uAdd}, &rep)
		at = sys.Now()
	})
	run(t, k)
	require.NoError(t, err)
	assert.Equal(t, srv, ipc.Endpoint(rep.Word(1)), "the instance that answered")
	assert.Equal(t, uint64(1), rep.Word(0), "the count the old instance had")
	assert.GreaterOrEqual(t, at, int64(50_000), "the call waited for the holder's death")
	assert.Equal(t, []ipc.Endpoint{srv}, serviceInfo(t, k, "counter").Instances, "the new instance is gone")
}
