package net_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// raw makes one request to the net server and returns the reply's errno
// (0: none) and Word(0).
func raw(sys ipc.Sys, req ipc.Message, x *ipc.Extra) (ipc.Errno, uint64) {
	dst, err := ipc.Dial(sys, netproto.Name)
	if err != nil {
		return ipc.ErrnoOf(err), 0
	}
	if x == nil {
		x = &ipc.Extra{}
	}
	var rep ipc.Message
	if err := sys.CallWith(dst, &req, &rep, x); err != nil {
		return ipc.ErrnoOf(err), 0
	}
	return ipc.Errno(rep.Errno), rep.Word(0)
}

// msg is a request of type t with words w.
func msg(t ipc.Type, w ...uint64) ipc.Message {
	m := ipc.Message{Type: t}
	for i, v := range w {
		m.SetWord(i, v)
	}
	return m
}

// What a hostile program sends the net server gets a clean errno, never
// a panic (the server is in the kernel here: a panic would halt it):
// handles that are not one, another task's handle, a previous instance's,
// garbage addresses, counts past the limits, unknown kinds of socket.
func TestHostileRequests(t *testing.T) {
	stale := uint64(0x6e65)<<48 | 0x00<<40 | 5<<16 // the tag, epoch 0: never a live instance's
	for _, tc := range []struct {
		name string
		req  func(mine, theirs uint64) (ipc.Message, *ipc.Extra)
		want ipc.Errno
	}{
		{"read of handle 0", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Read, 0, 10), &ipc.Extra{Recv: make([]byte, 10)}
		}, linux.EBADF},
		{"read of another task's handle", func(_, theirs uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Read, theirs, 10), &ipc.Extra{Recv: make([]byte, 10)}
		}, linux.EBADF},
		{"close of another task's handle", func(_, theirs uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Close, theirs), nil
		}, linux.EBADF},
		{"read of a previous instance's handle", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Read, stale, 10), &ipc.Extra{Recv: make([]byte, 10)}
		}, linux.ECONNRESET},
		{"write of a previous instance's handle", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Write, stale, 1), &ipc.Extra{Send: []byte("x")}
		}, linux.EPIPE},
		{"accept of a previous instance's handle", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Accept, stale), nil
		}, linux.ECONNABORTED},
		{"bind to family 9", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			m := msg(netproto.Bind, mine)
			m.Payload[netproto.AddrOff] = 9
			return m, nil
		}, linux.EINVAL},
		{"connect to no address", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Connect, mine), nil
		}, linux.EINVAL},
		{"sendto past MaxBulk", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.SendTo, mine, ipc.MaxBulk+1), nil
		}, linux.EINVAL},
		{"read of 2^63 bytes", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Read, mine, 1<<63), nil
		}, linux.EINVAL},
		{"shutdown how 9", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Shutdown, mine, 9), nil
		}, linux.EINVAL},
		{"set flags 0xffff", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.SetFlags, mine, 0xffff), nil
		}, linux.EINVAL},
		{"socket of family 99", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Socket, 99, linux.SOCK_STREAM, 0), nil
		}, linux.EAFNOSUPPORT},
		{"socket of type 7", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Socket, linux.AF_INET, 7, 0), nil
		}, linux.ESOCKTNOSUPPORT},
		{"stream socket of UDP", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Socket, linux.AF_INET, linux.SOCK_STREAM, linux.IPPROTO_UDP), nil
		}, linux.EPROTONOSUPPORT},
		{"socket with unknown type flags", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Socket, linux.AF_INET, 1<<40|linux.SOCK_STREAM, 0), nil
		}, linux.EINVAL},
		{"a view into no window", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(netproto.Sockets, 0, 1<<20), nil
		}, linux.EFAULT},
		{"unknown request", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(40, mine), nil
		}, linux.ENOSYS},
		{"arming another task's handle", func(_, theirs uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Ready, theirs, streamproto.ReadyArm|linux.POLLIN), nil
		}, linux.EBADF},
		{"arming with unknown event bits", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Ready, mine, streamproto.ReadyArm|1<<40), nil
		}, linux.EINVAL},
		{"ready with a huge arm word", func(mine, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Ready, mine, ^uint64(0)), nil
		}, linux.EINVAL},
		{"open of a name", func(_, _ uint64) (ipc.Message, *ipc.Extra) {
			return msg(streamproto.Open), nil
		}, linux.ENOENT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got ipc.Errno
			var setup error
			theirs := make(chan uint64, 1)
			err := runMono(func(sys ipc.Sys) {
				// Another task makes a socket and tells its handle.
				_, err := sys.Spawn(ipc.TaskSpec{Name: "owner", Body: func(sys ipc.Sys) {
					e, h := raw(sys, msg(netproto.Socket, linux.AF_INET, linux.SOCK_STREAM, 0), nil)
					if e != 0 {
						h = 0
					}
					theirs <- h
					_ = sys.Sleep(10_000_000) // and lives on
				}})
				if err != nil {
					setup = err
					return
				}
				_ = sys.Sleep(1_000_000)
				e, mine := raw(sys, msg(netproto.Socket, linux.AF_INET, linux.SOCK_STREAM, 0), nil)
				h := <-theirs
				if e != 0 || h == 0 {
					setup = fmt.Errorf("Socket() = %v, other's handle %#x", e, h)
					return
				}
				req, x := tc.req(mine, h)
				got, _ = raw(sys, req, x)
			})
			if err != nil || setup != nil {
				t.Fatalf("run: %v, %v", err, setup)
			}
			if !errors.Is(got, tc.want) {
				t.Errorf("errno = %v, want %v", got, tc.want)
			}
		})
	}
}
