package nicproto

import (
	"bytes"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// answering is a Sys whose calls fail with the errors in fails, one per
// call, and then answer with reply (and fill the receive window with
// window). Only Call and CallWith are implemented.
type answering struct {
	ipc.Sys
	fails  []error
	reply  func(req *ipc.Message) ipc.Message
	window []byte
	calls  int
}

func (a *answering) Call(dst ipc.Endpoint, req, rep *ipc.Message) error {
	return a.CallWith(dst, req, rep, nil)
}

func (a *answering) CallWith(_ ipc.Endpoint, req, rep *ipc.Message, x *ipc.Extra) error {
	a.calls++
	if a.calls <= len(a.fails) {
		return a.fails[a.calls-1]
	}
	if x != nil {
		copy(x.Recv, a.window)
	}
	*rep = a.reply(req)
	return nil
}

func infoReply(mac uint64, mtu, speed, flags, waiting uint64) func(*ipc.Message) ipc.Message {
	return func(req *ipc.Message) ipc.Message {
		rep := ipc.Reply(req)
		for i, v := range []uint64{mac, mtu, speed, flags, waiting} {
			rep.SetWord(i, v)
		}
		return rep
	}
}

func TestInfo(t *testing.T) {
	cases := []struct {
		name  string
		reply func(*ipc.Message) ipc.Message
		want  Card
		err   error
	}{
		{"a card", infoReply(0x026d6b000102, 1500, 1e9, FlagUp, 3),
			Card{MAC: [6]byte{2, 0x6d, 0x6b, 0, 1, 2}, MTU: 1500, SpeedBps: 1e9, Up: true, Waiting: 3}, nil},
		{"link down", infoReply(0x026d6b000102, 9000, 1e9, 0, 0),
			Card{MAC: [6]byte{2, 0x6d, 0x6b, 0, 1, 2}, MTU: 9000, SpeedBps: 1e9}, nil},
		{"MTU too small", infoReply(1, 67, 1e9, 0, 0), Card{}, ipc.ErrBadReply},
		{"MTU too big", infoReply(1, 9001, 1e9, 0, 0), Card{}, ipc.ErrBadReply},
		{"no speed", infoReply(1, 1500, 0, 0, 0), Card{}, ipc.ErrBadReply},
		{"address past 48 bits", infoReply(1<<48, 1500, 1e9, 0, 0), Card{}, ipc.ErrBadReply},
		{"undocumented errno", func(req *ipc.Message) ipc.Message { return ipc.ErrorReply(req, linux.ENOSPC) }, Card{}, ipc.ErrBadReply},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Client{Sys: &answering{reply: c.reply}}.Info()
			if got != c.want || err != c.err && (err == nil || c.err == nil || err.Error() != c.err.Error()) {
				t.Errorf("Info() = %+v, %v, want %+v, %v", got, err, c.want, c.err)
			}
		})
	}
}

func TestRecvChecksTheBatch(t *testing.T) {
	f1, f2 := bytes.Repeat([]byte{1}, 60), bytes.Repeat([]byte{2}, 100)
	batch := AppendFrame(AppendFrame(nil, f1), f2)
	recv := func(frames, size uint64) func(*ipc.Message) ipc.Message {
		return func(req *ipc.Message) ipc.Message {
			rep := ipc.Reply(req)
			rep.SetWord(0, frames)
			rep.SetWord(1, size)
			return rep
		}
	}
	cases := []struct {
		name   string
		window []byte
		reply  func(*ipc.Message) ipc.Message
		max    int
		want   int
		bad    bool
	}{
		{"two frames", batch, recv(2, uint64(len(batch))), 0, 2, false},
		{"count does not match the batch", batch, recv(3, uint64(len(batch))), 0, 0, true},
		{"more than asked for", batch, recv(2, uint64(len(batch))), 1, 0, true},
		{"bytes past the window", batch, recv(2, 1<<20), 0, 0, true},
		{"zero frames", batch, recv(0, 0), 0, 0, true},
		{"a length past the batch", batch, recv(2, uint64(len(batch)-1)), 0, 0, true},
		{"a runt in the batch", AppendFrame(nil, []byte{1, 2}), recv(1, 4), 0, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			frames, err := Client{Sys: &answering{reply: c.reply, window: c.window}}.Recv(make([]byte, 4096), c.max)
			if c.bad != (err != nil) || len(frames) != c.want {
				t.Errorf("Recv() = %d frames, %v; want %d, bad %v", len(frames), err, c.want, c.bad)
			}
			if !c.bad && (!bytes.Equal(frames[0], f1) || !bytes.Equal(frames[1], f2)) {
				t.Errorf("Recv() frames differ from those sent")
			}
		})
	}
}

func TestClientRetriesAfterTheDriverDied(t *testing.T) {
	died := func(n int) []error {
		errs := make([]error, n)
		for i := range errs {
			errs[i] = ipc.ErrServiceDied
		}
		return errs
	}
	ok := func(req *ipc.Message) ipc.Message {
		if req.Type == Info {
			return infoReply(1, 1500, 1e9, FlagUp, 0)(req)
		}
		rep := ipc.Reply(req)
		if req.Type == Recv {
			rep.SetWord(0, 1)
			rep.SetWord(1, 62)
		}
		return rep
	}
	ops := map[string]func(Client) error{
		"info": func(c Client) error { _, err := c.Info(); return err },
		"send": func(c Client) error { return c.Send(make([]byte, 60)) },
		"recv": func(c Client) error { _, err := c.Recv(make([]byte, 2000), 0); return err },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			win := AppendFrame(nil, make([]byte, 60))
			sys := &answering{fails: died(Retries), reply: ok, window: win}
			if err := op(Client{Sys: sys}); err != nil || sys.calls != Retries+1 {
				t.Errorf("after %d deaths: %v in %d calls, want success in %d", Retries, err, sys.calls, Retries+1)
			}
			sys = &answering{fails: died(Retries + 1), reply: ok, window: win}
			if err := op(Client{Sys: sys}); err != ipc.ErrServiceDied || sys.calls != Retries+1 {
				t.Errorf("after %d deaths: %v in %d calls, want ECONNRESET in %d", Retries+1, err, sys.calls, Retries+1)
			}
		})
	}
	sys := &answering{fails: died(1), reply: ok}
	if _, err := (Client{Sys: sys}).Stats(); err != ipc.ErrServiceDied || sys.calls != 1 {
		t.Errorf("Stats() = %v in %d calls, want ECONNRESET in 1: not retried", err, sys.calls)
	}
}

func TestSplitBatch(t *testing.T) {
	cases := []struct {
		name  string
		batch []byte
		n     int
		ok    bool
	}{
		{"empty", nil, 0, true},
		{"one", AppendFrame(nil, make([]byte, 14)), 1, true},
		{"half a length", []byte{5}, 0, false},
		{"zero length", []byte{0, 0}, 0, false},
		{"cut short", AppendFrame(nil, make([]byte, 20))[:15], 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			frames, ok := SplitBatch(c.batch)
			if len(frames) != c.n || ok != c.ok {
				t.Errorf("SplitBatch() = %d frames, %v; want %d, %v", len(frames), ok, c.n, c.ok)
			}
		})
	}
}

func TestCounters(t *testing.T) {
	window := make([]byte, CountersSize)
	for i := range 8 {
		window[8*i] = byte(i + 1)
	}
	reply := func(n uint64) func(*ipc.Message) ipc.Message {
		return func(req *ipc.Message) ipc.Message {
			rep := ipc.Reply(req)
			rep.SetWord(0, n)
			return rep
		}
	}
	got, err := Client{Sys: &answering{reply: reply(CountersSize), window: window}}.Counters()
	want := CardCounters{1, 2, 3, 4, 5, 6, 7, 8}
	if err != nil || got != want {
		t.Errorf("Counters() = %+v, %v, want %+v", got, err, want)
	}
	for _, n := range []uint64{0, CountersSize - 1, CountersSize + 1} {
		if _, err := (Client{Sys: &answering{reply: reply(n), window: window}}).Counters(); err != ipc.ErrBadReply {
			t.Errorf("Counters() with %d bytes = %v, want EIO", n, err)
		}
	}
}

// timing records the timeout each request was made with.
type timing struct {
	answering
	timeouts []int64
}

func (a *timing) CallWith(dst ipc.Endpoint, req, rep *ipc.Message, x *ipc.Extra) error {
	var ns int64
	if x != nil {
		ns = x.TimeoutNs
	}
	a.timeouts = append(a.timeouts, ns)
	return a.answering.CallWith(dst, req, rep, x)
}

// A client with TimeoutNs bounds every request, and a timeout is not
// made again: a hung driver costs one timeout.
func TestClientTimeout(t *testing.T) {
	ops := map[string]func(Client) error{
		"info":     func(c Client) error { _, err := c.Info(); return err },
		"send":     func(c Client) error { return c.Send(make([]byte, 60)) },
		"recv":     func(c Client) error { _, err := c.Recv(make([]byte, 2000), 0); return err },
		"stats":    func(c Client) error { _, err := c.Stats(); return err },
		"counters": func(c Client) error { _, err := c.Counters(); return err },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			sys := &timing{answering: answering{fails: []error{ipc.ErrTimeout}}}
			err := op(Client{Sys: sys, TimeoutNs: 7000})
			if err != ipc.ErrTimeout || len(sys.timeouts) != 1 || sys.timeouts[0] != 7000 {
				t.Errorf("%s = %v after calls with timeouts %v, want ETIMEDOUT after one call with 7000", name, err, sys.timeouts)
			}
		})
	}
}
