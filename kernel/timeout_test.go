package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// A Call with a timeout fails with ErrTimeout when no reply came in time,
// whether or not the server received it; a late reply is refused and never
// lands in the caller's buffer; a timeout that did not fire does not touch
// a later call.
func TestCallTimeout(t *testing.T) {
	const timeoutNs = 10_000
	tests := []struct {
		name string
		// receiveAfterNs: the server sleeps this long before it first
		// receives; replyAfterNs: it then sleeps this long before it
		// replies.
		receiveAfterNs, replyAfterNs int64
		want                         ipc.Errno
	}{
		{"never received in time", 100_000, 0, ipc.ErrTimeout},
		{"received, replied too late", 0, 100_000, ipc.ErrTimeout},
		{"replied in time", 0, 1000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				err          error
				elapsed      int64
				rep          ipc.Message
				lateReplyErr error
				firstWord    uint64
				second       ipc.Message
				secondErr    error
			)
			srv := spawn(t, k, "server", func(sys ipc.Sys) {
				sys.Sleep(tt.receiveAfterNs)
				for {
					var req ipc.Message
					if sys.Receive(ipc.Any, &req) != nil {
						return
					}
					if firstWord == 0 {
						firstWord = req.Word(0)
					}
					r := word(tPing, 100+req.Word(0))
					if req.Word(0) == 1 {
						sys.Sleep(tt.replyAfterNs)
						lateReplyErr = sys.Reply(req.Source, r)
						continue
					}
					// Serve the second call slowly: past the first
					// call's deadline.
					sys.Sleep(3 * timeoutNs)
					assert.NoError(t, sys.Reply(req.Source, r))
				}
			})
			spawn(t, k, "client", func(sys ipc.Sys) {
				sys.Sleep(100)
				rep.Type = 0xbeef // must survive a late reply
				t0 := sys.Now()
				err = sys.CallWith(srv, word(tPing, 1), &rep, &ipc.Extra{TimeoutNs: timeoutNs})
				elapsed = sys.Now() - t0
				if err != nil {
					sys.Sleep(200_000) // the late reply happens meanwhile
				}
				secondErr = sys.Call(srv, word(tPing, 2), &second)
			})
			run(t, k)
			assertErrno(t, tt.want, err)
			assert.NoError(t, secondErr, "the call after the first must not be hit by its timeout")
			assert.Equal(t, uint64(102), second.Word(0), "the second call's reply")
			if tt.want == 0 {
				assert.Equal(t, uint64(101), rep.Word(0))
				assert.NoError(t, lateReplyErr)
				return
			}
			assert.GreaterOrEqual(t, elapsed, int64(timeoutNs), "timed out early")
			assert.Less(t, elapsed, int64(timeoutNs+1000), "timed out late")
			assert.Equal(t, ipc.Type(0xbeef), rep.Type, "a late reply was written into the caller's buffer")
			if tt.receiveAfterNs > 0 {
				assert.Equal(t, uint64(2), firstWord, "the server received the timed-out request")
			} else {
				assert.ErrorIs(t, lateReplyErr, ipc.ErrPerm, "the late reply")
			}
		})
	}
}

// A timeout also bounds a call that waits on the bus for an instance.
func TestCallTimeoutWhileWaitingForInstance(t *testing.T) {
	k := boot(t, kernel.Config{ServiceWaitNs: 1_000_000})
	var (
		err     error
		elapsed int64
	)
	spawn(t, k, "gone", func(sys ipc.Sys) { _, _ = sys.Register("svc") })
	spawn(t, k, "client", func(sys ipc.Sys) {
		sys.Sleep(1000)
		var rep ipc.Message
		t0 := sys.Now()
		err = sys.CallWith(service(t, sys, "svc"), word(tPing, 1), &rep, &ipc.Extra{TimeoutNs: 5000})
		elapsed = sys.Now() - t0
	})
	run(t, k)
	assert.ErrorIs(t, err, ipc.ErrTimeout)
	assert.GreaterOrEqual(t, elapsed, int64(5000))
	assert.Less(t, elapsed, int64(6000))
	svc := k.Services()[0]
	assert.Equal(t, int64(1), svc.Stats.Requests)
	assert.Equal(t, int64(1), svc.Stats.Errors)
	assert.Zero(t, svc.Stats.InFlight)
}
