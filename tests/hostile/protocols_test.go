package hostile_test

// Hostile programs against the protocols: a task with the user-program
// privilege record, using nothing but ipc and the protocol stubs (or raw
// messages), attacks a booted system in micro and in mono mode. The
// system must survive — no kernel panic, no server dying of a Go panic —
// and the program must get a clean, documented errno.

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// attack boots the system of mode, with the host console placed in the
// kernel as `run -c` places it, and runs body as a task with the user
// program's privileges (after the servers in servers, user programs too,
// each of which may register the service its name names);
// it returns what went wrong (a kernel panic, a task dead of a Go panic)
// or nil.
func attack(t *testing.T, mode boot.Mode, body func(sys ipc.Sys), servers ...ipc.TaskSpec) error {
	t.Helper()
	return boottest.Run(boottest.Config(mode), func(sys ipc.Sys) {
		user := ipc.UserPriv()
		for _, s := range servers {
			own := ipc.UserPriv() // a program's, that may register its own name
			own.Register = []string{s.Name}
			s.Priv = &own
			if _, err := sys.Spawn(s); err != nil {
				t.Errorf("Spawn(%s) = %v", s.Name, err)
			}
		}
		done := false
		_, err := sys.Spawn(ipc.TaskSpec{Name: "hostile", Priv: &user, Body: func(sys ipc.Sys) {
			defer func() { done = true }()
			body(sys)
		}})
		if err != nil {
			t.Errorf("Spawn() = %v", err)
		}
		for !done && sys.Sleep(1_000_000) == nil {
		}
	})
}

// raw calls service name with req and the windows, as a hostile program
// does, and returns the reply's errno (or the call's).
func raw(sys ipc.Sys, name string, req ipc.Message, x *ipc.Extra) ipc.Errno {
	dst, err := ipc.Dial(sys, name)
	if err != nil {
		return ipc.ErrnoOf(err)
	}
	var rep ipc.Message
	if err := sys.CallWith(dst, &req, &rep, x); err != nil {
		return ipc.ErrnoOf(err)
	}
	return ipc.Errno(rep.Errno)
}

var protocolModes = []boot.Mode{boot.Micro, boot.Mono}

// TestConsoleHugeCount: a console Write or Read with Word(1) = ^0 panicked
// boot's console, which `run -c` places in the kernel: the system halted
// even in micro mode. Now it is EINVAL.
func TestConsoleHugeCount(t *testing.T) {
	for _, mode := range protocolModes {
		for _, tc := range []struct {
			stream string
			op     ipc.Type
		}{{"stdout", streamproto.Write}, {"stdin", streamproto.Read}} {
			t.Run(string(mode)+" "+tc.stream, func(t *testing.T) {
				var got ipc.Errno = 1
				err := attack(t, mode, func(sys ipc.Sys) {
					c, err := streamproto.Dial(sys, boot.ConsoleService)
					if err != nil {
						return
					}
					h, err := c.OpenStream(tc.stream, linux.O_RDWR)
					if err != nil {
						return
					}
					req := ipc.Message{Type: tc.op}
					req.SetWord(0, uint64(h))
					req.SetWord(1, ^uint64(0))
					buf := make([]byte, 16)
					got = raw(sys, boot.ConsoleService, req, &ipc.Extra{Send: buf, Recv: buf})
				})
				assert.NoError(t, err, "the system")
				assert.Equal(t, linux.EINVAL, got, "the program's errno")
			})
		}
	}
}

// TestResidentHugeCount: mm's Resident with Word(0) = ^0 panicked in
// decoding (a kernel panic in mono, a restart in micro). Now the count is
// clamped to what a window may hold.
func TestResidentHugeCount(t *testing.T) {
	for _, mode := range protocolModes {
		t.Run(string(mode), func(t *testing.T) {
			var got ipc.Errno = 1
			err := attack(t, mode, func(sys ipc.Sys) {
				c, err := mmproto.Dial(sys)
				if err != nil {
					return
				}
				if _, err := c.Brk(mmproto.HeapBase + ipc.PageSize); err != nil {
					return
				}
				_ = sys.Store(mmproto.HeapBase, []byte{1})
				req := ipc.Message{Type: mmproto.Resident}
				req.SetWord(0, ^uint64(0))
				got = raw(sys, mmproto.Name, req, &ipc.Extra{Recv: make([]byte, 64)})
			})
			assert.NoError(t, err, "the system")
			assert.Equal(t, ipc.Errno(0), got, "the program's errno")
		})
	}
}

// TestSpawnOverflowingCount: a pm Spawn whose argc (^0) and envc (1) wrap
// around to 0 when added panicked pm's decoder. Now it is EINVAL.
func TestSpawnOverflowingCount(t *testing.T) {
	for _, mode := range protocolModes {
		t.Run(string(mode), func(t *testing.T) {
			var got ipc.Errno
			err := attack(t, mode, func(sys ipc.Sys) {
				window := []byte("/bin/true\x00")
				req := ipc.Message{Type: pmproto.Spawn}
				req.SetWord(0, uint64(len(window)))
				req.SetWord(1, ^uint64(0))
				req.SetWord(2, 1)
				got = raw(sys, pmproto.Name, req, &ipc.Extra{Send: window})
			})
			assert.NoError(t, err, "the system")
			assert.Equal(t, linux.EINVAL, got, "the program's errno")
		})
	}
}

// TestGarbageCountReplies: a server that answers the file protocol with
// garbage counts (a hostile task registered under a name of its own, and
// a program that uses fsproto's stub on it) made the stub panic — the
// program died in the library. Now the program gets EIO.
func TestGarbageCountReplies(t *testing.T) {
	huge := ^uint64(0)
	tests := []struct {
		name  string
		words []uint64
		op    func(c fsproto.Client) error
	}{
		{"readlink", []uint64{huge}, func(c fsproto.Client) error { _, err := c.Readlink("/l"); return err }},
		{"readdir", []uint64{1, 1, huge, 1}, func(c fsproto.Client) error { _, err := c.ReadDir("/"); return err }},
		{"read", []uint64{huge}, func(c fsproto.Client) error { _, err := c.Read(3, make([]byte, 8)); return err }},
	}
	for _, mode := range protocolModes {
		for _, tc := range tests {
			t.Run(string(mode)+" "+tc.name, func(t *testing.T) {
				var got error
				server := ipc.TaskSpec{Name: "liar", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, "liar", liar(tc.words)) }}
				err := attack(t, mode, func(sys ipc.Sys) {
					dst, err := ipc.Dial(sys, "liar")
					if err != nil {
						got = err
						return
					}
					got = tc.op(fsproto.Client{Sys: sys, Dst: dst})
				}, server)
				assert.NoError(t, err, "the system, the program")
				assert.ErrorIs(t, got, linux.EIO, "the program's error")
			})
		}
	}
}

// liar answers every request with success and the words given.
type liar []uint64

func (l liar) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message {
	rep := ipc.Reply(req)
	for i, w := range l {
		rep.SetWord(i, w)
	}
	return rep
}

// TestStreamHugeCounts: every stream service refuses a Read or Write
// count past ipc.MaxBulk with EINVAL (reads were clamped), whatever
// stream it is on.
func TestStreamHugeCounts(t *testing.T) {
	tests := []struct {
		svc, stream string
	}{
		{boot.ConsoleService, "stdout"},
		{boot.ConsoleService, "stdin"},
		{streamproto.TTY, ""},
		{streamproto.Memdev, "zero"},
		{streamproto.Memdev, "null"},
	}
	for _, tc := range tests {
		for _, op := range []ipc.Type{streamproto.Read, streamproto.Write} {
			for _, count := range []uint64{ipc.MaxBulk + 1, 1 << 63, ^uint64(0)} {
				t.Run(fmt.Sprintf("%s %q %d %#x", tc.svc, tc.stream, op, count), func(t *testing.T) {
					var got ipc.Errno = 1
					err := attack(t, boot.Mono, func(sys ipc.Sys) {
						c, err := streamproto.Dial(sys, tc.svc)
						if err != nil {
							return
						}
						h, err := c.OpenStream(tc.stream, linux.O_RDWR)
						if err != nil {
							got = ipc.ErrnoOf(err)
							return
						}
						req := ipc.Message{Type: op}
						req.SetWord(0, uint64(h))
						req.SetWord(1, count)
						got = raw(sys, tc.svc, req, &ipc.Extra{Send: make([]byte, 8), Recv: make([]byte, 8)})
					})
					assert.NoError(t, err, "the system")
					if got != linux.EBADF { // a stream open one way only
						assert.Equal(t, linux.EINVAL, got, "the program's errno")
					}
				})
			}
		}
	}
}

// TestSigactionDispositionTruncated: a disposition word past SigCatch was
// cut to its low byte (0x100 became SigDefault) and accepted; it is
// EINVAL.
func TestSigactionDispositionTruncated(t *testing.T) {
	for _, d := range []uint64{0x100, 0x102, ^uint64(0)} {
		var got ipc.Errno
		err := attack(t, boot.Mono, func(sys ipc.Sys) {
			req := ipc.Message{Type: pmproto.Sigaction}
			req.SetWord(0, uint64(linux.SIGINT))
			req.SetWord(1, d)
			got = raw(sys, pmproto.Name, req, nil)
		})
		assert.NoError(t, err, "the system")
		assert.Equal(t, linux.EINVAL, got, "Errno, disposition %#x", d)
	}
}
