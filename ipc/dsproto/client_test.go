package dsproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// fakeSys answers CallWith from a script: each call takes the next
// error (a failed call) or, past the script, the reply answer makes.
type fakeSys struct {
	ipc.Sys
	fail   []error
	answer func(req *ipc.Message, x *ipc.Extra) ipc.Message
	calls  int
}

func (f *fakeSys) CallWith(_ ipc.Endpoint, req, rep *ipc.Message, x *ipc.Extra) error {
	f.calls++
	if len(f.fail) > 0 {
		err := f.fail[0]
		f.fail = f.fail[1:]
		return err
	}
	*rep = f.answer(req, x)
	return nil
}

// Self is the fake task's endpoint.
func (f *fakeSys) Self() ipc.Endpoint { return 42 }

// Bus takes every bus request: the client's notice subscription; BusNext
// finds nothing.
func (f *fakeSys) Bus(r *ipc.BusRequest) error {
	if r.Op == ipc.BusNext {
		return ipc.ErrNoInstance
	}
	return nil
}

// reply returns an answer that replies with errno e and generation gen.
func reply(e ipc.Errno, gen uint64) func(*ipc.Message, *ipc.Extra) ipc.Message {
	return func(req *ipc.Message, _ *ipc.Extra) ipc.Message {
		rep := ipc.ErrorReply(req, e)
		rep.SetWord(dsproto.GenWord, gen)
		return rep
	}
}

func TestClientRetries(t *testing.T) {
	died, none := ipc.ErrServiceDied, ipc.ErrNoInstance
	tests := []struct {
		name      string
		fail      []error
		answer    ipc.Errno
		op        func(c *dsproto.Client) error
		want      error
		wantCalls int
	}{
		{"put retried after the instance died", []error{died}, 0,
			func(c *dsproto.Client) error { return c.Put("k", nil) }, nil, 2},
		{"get retried while no instance is up", []error{none, died}, 0,
			func(c *dsproto.Client) error { _, err := c.GetInto("k", nil); return err }, nil, 3},
		{"list retried", []error{died}, 0,
			func(c *dsproto.Client) error { _, err := c.List(""); return err }, nil, 2},
		{"retries are bounded", []error{died, died, died, died, died}, 0,
			func(c *dsproto.Client) error { return c.Put("k", nil) }, died, dsproto.DefaultAttempts},
		{"a retried delete that finds no key succeeds", []error{died}, linux.ENOENT,
			func(c *dsproto.Client) error { return c.Delete("k") }, nil, 2},
		{"a first delete that finds no key fails", nil, linux.ENOENT,
			func(c *dsproto.Client) error { return c.Delete("k") }, linux.ENOENT, 1},
		{"subscribe is not retried", []error{died}, 0,
			func(c *dsproto.Client) error { _, err := c.Subscribe("", dsproto.DefaultBits); return err }, died, 1},
		{"changes is not retried", []error{died}, 0,
			func(c *dsproto.Client) error { _, _, err := c.Changes(); return err }, died, 1},
		{"other errors are not retried", []error{ipc.ErrDead}, 0,
			func(c *dsproto.Client) error { return c.Put("k", nil) }, ipc.ErrDead, 1},
		{"bad keys never leave the task", nil, 0,
			func(c *dsproto.Client) error { return c.Put("", nil) }, linux.EINVAL, 0},
		{"values too large never leave the task", nil, 0,
			func(c *dsproto.Client) error { return c.Put("k", make([]byte, dsproto.MaxValue+1)) }, linux.E2BIG, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sys := &fakeSys{fail: tc.fail, answer: reply(tc.answer, 7)}
			c := &dsproto.Client{Sys: sys}
			err := tc.op(c)
			if tc.want == nil {
				assert.NoError(t, err)
				assert.Equal(t, uint64(7), c.Gen, "Gen after a reply")
			} else {
				assert.ErrorIs(t, err, tc.want)
			}
			assert.Equal(t, tc.wantCalls, sys.calls, "calls made")
		})
	}
}

// Get offers a small window first and, told the value's length by ERANGE,
// asks again with a window that fits.
func TestClientGetGrows(t *testing.T) {
	value := make([]byte, 3000)
	value[2999] = 9
	var windows []int
	sys := &fakeSys{answer: func(req *ipc.Message, x *ipc.Extra) ipc.Message {
		windows = append(windows, len(x.Recv))
		rep := ipc.Reply(req)
		rep.SetWord(0, uint64(len(value)))
		if len(x.Recv) < len(value) {
			rep.Errno = uint16(linux.ERANGE)
			return rep
		}
		copy(x.Recv, value)
		return rep
	}}
	got, err := (&dsproto.Client{Sys: sys}).Get("k")
	assert.NoError(t, err)
	assert.Equal(t, value, got)
	assert.Equal(t, []int{512, 3000}, windows)
}

// List pages until the server says no more follow, continuing after the
// last key of each page.
func TestClientListPages(t *testing.T) {
	all := []string{"a", "b", "c", "d", "e"}
	var afters []string
	sys := &fakeSys{answer: func(req *ipc.Message, x *ipc.Extra) ipc.Message {
		pl, al := req.Word(0), req.Word(1)
		after := string(x.Send[pl : pl+al])
		afters = append(afters, after)
		i := 0
		for i < len(all) && all[i] <= after {
			i++
		}
		page := all[i:min(i+2, len(all))]
		var b []byte
		for _, k := range page {
			b = dsproto.AppendKey(b, k)
		}
		copy(x.Recv, b)
		rep := ipc.Reply(req)
		rep.SetWord(0, uint64(len(page)))
		rep.SetWord(1, uint64(len(b)))
		if i+2 < len(all) {
			rep.SetWord(2, 1)
		}
		return rep
	}}
	keys, err := (&dsproto.Client{Sys: sys}).List("")
	assert.NoError(t, err)
	assert.Equal(t, all, keys)
	assert.Equal(t, []string{"", "b", "d"}, afters)
}

// TestClientTimeout: TimeoutNs bounds every request, Crash's (which has no
// windows) too, and a request that timed out is not made again.
func TestClientTimeout(t *testing.T) {
	var seen []int64
	f := &fakeSys{answer: func(req *ipc.Message, x *ipc.Extra) ipc.Message {
		seen = append(seen, x.TimeoutNs)
		return ipc.Reply(req)
	}}
	c := &dsproto.Client{Sys: f, TimeoutNs: 7}
	assert.NoError(t, c.Put("k", nil), "Put")
	assert.NoError(t, c.Crash(), "Crash")
	assert.Equal(t, []int64{7, 7}, seen, "TimeoutNs of each call")

	f = &fakeSys{fail: []error{ipc.ErrTimeout, nil}, answer: reply(0, 1)}
	c = &dsproto.Client{Sys: f, TimeoutNs: 7}
	assert.ErrorIs(t, c.Put("k", nil), ipc.ErrTimeout, "Put that timed out")
	assert.Equal(t, 1, f.calls, "calls of a Put that timed out")
}
