package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

// tStream asks the stream server for W1 frames on stream W0.
const tStream ipc.Type = 100

// streamServer serves tStream: it accepts the stream, replies, and emits
// frames 1..n waiting for credit, then acts as end says: "end", "error"
// (EIO), "cancel" after the first frame, "die" after the first frame.
// emitted counts the frames it emitted; errs gets each failed emit.
func streamServer(end string, emitted *int, errs *[]error) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		_, _ = sys.Register("streams")
		var req ipc.Message
		for sys.Receive(ipc.Any, &req) == nil {
			srv, err := ipc.AcceptStream(sys, ipc.StreamID(req.Word(0)))
			rep := ipc.Reply(&req)
			if err != nil {
				rep = ipc.ErrorReply(&req, ipc.ErrnoOf(err))
			}
			_ = sys.Reply(req.Source, &rep)
			if err != nil {
				continue
			}
			for i := 1; i <= int(req.Word(1)); i++ {
				if err := srv.Emit(word(tPing, uint64(i)), true); err != nil {
					*errs = append(*errs, err)
					break
				}
				*emitted = i
				if i == 1 && end == "cancel" {
					_ = sys.Sleep(100_000) // the client takes the frame
					_ = srv.Cancel()
					break
				}
				if i == 1 && end == "die" {
					sys.Exit(1)
				}
			}
			switch end {
			case "end":
				_ = srv.End(0)
			case "error":
				_ = srv.End(linux.EIO)
			}
		}
	}
}

// openAndCall opens a stream with credits and asks for n frames.
func openAndCall(t *testing.T, sys ipc.Sys, credits, n int) ipc.Stream {
	s, err := ipc.OpenStream(sys, credits)
	require.NoError(t, err)
	req := word(tStream, uint64(s.ID))
	req.SetWord(1, uint64(n))
	var rep ipc.Message
	require.NoError(t, sys.Call(service(t, sys, "streams"), req, &rep))
	return s
}

// The server emits no more than the client granted; grants let it go on;
// frames arrive in order, then the end frame (or the error frame).
func TestStreamCredits(t *testing.T) {
	tests := []struct {
		name     string
		end      string
		credits  int
		wantErr  ipc.Errno // at the end frame
		wantSeen int       // emitted when the client has its first credits' worth
	}{
		{"two credits, clean end", "end", 2, 0, 2},
		{"one credit, error frame", "error", 1, linux.EIO, 1},
		{"all credit at once", "end", 5, 0, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var emitted int
			var serverErrs []error
			spawn(t, k, "server", streamServer(tt.end, &emitted, &serverErrs))
			var got []uint64
			var seen int
			var endErr error
			spawn(t, k, "client", func(sys ipc.Sys) {
				s := openAndCall(t, sys, tt.credits, 5)
				_ = sys.Sleep(1_000_000) // the server runs out of credit
				seen = emitted
				granted := tt.credits
				for {
					var m ipc.Message
					end, err := s.Recv(&m)
					if end {
						endErr = err
						return
					}
					require.NoError(t, err)
					got = append(got, m.Word(0))
					if len(got) == granted && granted < 5 {
						require.NoError(t, s.Grant(1))
						granted++
					}
				}
			})
			run(t, k)
			assert.Equal(t, tt.wantSeen, seen, "frames emitted on the first credit")
			assert.Equal(t, []uint64{1, 2, 3, 4, 5}, got)
			assertErrno(t, tt.wantErr, endErr, "the end frame's errno")
			assert.Empty(t, serverErrs)
		})
	}
}

// Either side may cancel; a death cancels (client) or ends the stream
// with ErrServiceDied (server).
func TestStreamCancelAndDeath(t *testing.T) {
	tests := []struct {
		name          string
		end           string
		clientCancels bool
		clientDies    bool
		wantClient    ipc.Errno // what the client's Recv after the first frame says
		wantServer    ipc.Errno // what the server's next emit says (0: none failed)
	}{
		{"client cancels", "end", true, false, linux.EPERM, linux.ECANCELED},
		{"client dies", "end", false, true, 0, linux.ECANCELED},
		{"server cancels", "cancel", false, false, linux.ECANCELED, 0},
		{"server dies", "die", false, false, ipc.ErrServiceDied, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var emitted int
			var serverErrs []error
			spawn(t, k, "server", streamServer(tt.end, &emitted, &serverErrs))
			var after error
			spawn(t, k, "client", func(sys ipc.Sys) {
				s := openAndCall(t, sys, 1, 5)
				var m ipc.Message
				_, err := s.Recv(&m)
				require.NoError(t, err)
				switch {
				case tt.clientCancels:
					require.NoError(t, s.Cancel())
				case tt.clientDies:
					sys.Exit(0)
				}
				if !tt.clientCancels {
					require.NoError(t, s.Grant(4))
				}
				var end bool
				end, after = s.Recv(&m)
				if after == nil {
					assert.True(t, end, "a frame after a cancel")
				}
			})
			run(t, k)
			if !tt.clientDies {
				assertErrno(t, tt.wantClient, after, "the client's Recv after the first frame")
			}
			if tt.wantServer != 0 {
				require.Len(t, serverErrs, 1)
				assertErrno(t, tt.wantServer, serverErrs[0], "the server's emit after the cancel")
			} else {
				assert.Empty(t, serverErrs)
			}
		})
	}
}

// Only the instance serving the client's Call may accept; only the client
// grants and receives; a stale id is EBADF; credit and ids are checked.
func TestStreamRules(t *testing.T) {
	k := boot(t, kernel.Config{})
	var got []ipc.Errno
	note := func(err error) { got = append(got, ipc.ErrnoOf(err)) }
	var id ipc.StreamID
	spawn(t, k, "client", func(sys ipc.Sys) {
		s, err := ipc.OpenStream(sys, 1)
		require.NoError(t, err)
		id = s.ID
		_ = sys.Sleep(10_000)
		note(s.Cancel())
		note(s.Grant(1)) // stale: the stream is gone
		_, err = ipc.OpenStream(sys, -1)
		note(err)
		_, err = ipc.OpenStream(sys, ipc.MaxCredits+1)
		note(err)
	})
	spawn(t, k, "stranger", func(sys ipc.Sys) {
		_ = sys.Sleep(1000)
		_, err := ipc.AcceptStream(sys, id) // its client is not calling it
		note(err)
		note(sys.Bus(&ipc.BusRequest{Op: ipc.StreamGrant, Stream: id, Credits: 1}))
		note(sys.Bus(&ipc.BusRequest{Op: ipc.StreamRecv, Stream: id}))
		note(sys.Bus(&ipc.BusRequest{Op: ipc.StreamEmit, Stream: id}))
		note(sys.Bus(&ipc.BusRequest{Op: ipc.StreamRecv, Stream: id ^ 1<<40}))
	})
	run(t, k)
	want := []ipc.Errno{linux.EPERM, linux.EPERM, linux.EPERM, linux.EPERM, linux.EBADF,
		0, linux.EBADF, linux.EINVAL, linux.EINVAL}
	assert.Equal(t, want, got)
}
