package kerneltest

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// garbageReplies bounds the replies Garbage makes up: after them it
// answers EIO, so that a stub that pages or retries as long as the server
// says "more" ends.
const garbageReplies = 256

// Garbage returns a fake server's Answer that makes its replies up from
// data, as a server that answers garbage would (kernel.scramble's
// replies, and worse): each reply takes 9 bytes of data, cycling —
//
//	0     the errno: 0 when the byte is even, else the byte's top 7 bits
//	1–6   the six words: an edge value (edges), or the low 7 bits
//	7     Len
//	8     how many bytes (×64) of data to copy into the receive window
func Garbage(data []byte) Answer {
	if len(data) == 0 {
		data = []byte{0}
	}
	next, replies := 0, 0
	take := func() byte {
		b := data[next%len(data)]
		next++
		return b
	}
	return func(req *ipc.Message) (ipc.Message, []byte) {
		replies++
		if replies > garbageReplies {
			return ipc.ErrorReply(req, linux.EIO), nil
		}
		rep := ipc.Reply(req)
		if e := take(); e%2 == 1 {
			rep.Errno = uint16(e >> 1)
		}
		for i := range ipc.PayloadWords {
			rep.SetWord(i, word(take(), i, &ipc.Message{}))
		}
		rep.Len = uint16(take())
		window := make([]byte, int(take())*64)
		for i := range window {
			window[i] = data[(next+i)%len(data)]
		}
		return rep, window
	}
}

// Undocumented returns the errno inside err when a program should never
// see it from a stub of a protocol that documents set: one in neither set
// nor ipc.CallErrnos. It returns 0 for nil and for a documented errno.
func Undocumented(err error, set ipc.Errnos) ipc.Errno {
	e := ipc.ErrnoOf(err)
	if e == 0 || set.Has(e) || ipc.CallErrnos.Has(e) {
		return 0
	}
	return e
}

// Stub runs calls, each a use of one client stub, in a task against a
// fake server registered as name that answers Garbage(data), and returns
// what went wrong: a stub that panicked (as Fake reports it), or the
// first call that returned an errno its protocol's set (and
// ipc.CallErrnos) does not document.
func Stub(name string, set ipc.Errnos, data []byte, calls []func(sys ipc.Sys) error) error {
	var bad error
	err := Fake(name, Garbage(data), func(sys ipc.Sys) {
		for i, call := range calls {
			if e := Undocumented(call(sys), set); e != 0 && bad == nil {
				bad = fmt.Errorf("call %d returned %s (errno %d), which %s's protocol does not document", i, linux.ErrnoName(e), int(e), name)
			}
		}
	})
	if err != nil {
		return err
	}
	return bad
}
