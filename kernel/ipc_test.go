package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Send is a rendezvous: the sender goes on only after the receiver took the
// message.
func TestSendBlocksUntilReceived(t *testing.T) {
	k := boot(t, kernel.Config{})
	var (
		log            []string
		recvAt, sentAt int64
		err            error
	)
	r := spawn(t, k, "receiver", func(sys ipc.Sys) {
		sys.Sleep(1_000_000)
		var m ipc.Message
		if sys.Receive(ipc.Any, &m) == nil {
			recvAt = sys.Now()
			log = append(log, "received")
		}
	})
	spawn(t, k, "sender", func(sys ipc.Sys) {
		err = sys.Send(r, word(tPing, 1))
		sentAt = sys.Now()
		log = append(log, "sent")
	})
	run(t, k)
	require.NoError(t, err)
	assert.Equal(t, []string{"received", "sent"}, log)
	assert.GreaterOrEqual(t, sentAt, int64(1_000_000), "Send returned before the receiver woke")
	assert.GreaterOrEqual(t, sentAt, recvAt)
}

// Receive from a task takes only that task's message; Receive from Any
// takes the oldest sender's.
func TestReceiveFilter(t *testing.T) {
	tests := []struct {
		name string
		// receiverFirst: the receiver blocks in its first Receive before
		// anyone sends; otherwise both senders are queued when it receives.
		receiverFirst bool
		firstFrom     string // "a" or "any": the first Receive's filter
		want          []string
	}{
		{"queued senders, receive from a skips b", false, "a", []string{"a", "b"}},
		{"blocked in receive from a, b's send waits", true, "a", []string{"a", "b"}},
		{"queued senders, any takes the oldest", false, "any", []string{"b", "a"}},
		{"blocked in receive from any, the first sender wins", true, "any", []string{"b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				a, b    ipc.Endpoint
				got     []string
				errs    []error
				bSentAt int64
			)
			name := func(ep ipc.Endpoint) string {
				switch ep {
				case a:
					return "a"
				case b:
					return "b"
				}
				return ep.String()
			}
			r := spawn(t, k, "receiver", func(sys ipc.Sys) {
				if !tt.receiverFirst {
					sys.Sleep(1_000_000)
				}
				from := ipc.Any
				if tt.firstFrom == "a" {
					from = a
				}
				for _, f := range []ipc.Endpoint{from, ipc.Any} {
					var m ipc.Message
					errs = append(errs, sys.Receive(f, &m))
					got = append(got, name(m.Source))
				}
			})
			b = spawn(t, k, "b", func(sys ipc.Sys) {
				sys.Sleep(100)
				assert.NoError(t, sys.Send(r, word(tPing, 2)))
				bSentAt = sys.Now()
			})
			a = spawn(t, k, "a", func(sys ipc.Sys) {
				sys.Sleep(500_000)
				assert.NoError(t, sys.Send(r, word(tPing, 1)))
			})
			run(t, k)
			assert.Equal(t, []error{nil, nil}, errs)
			assert.Equal(t, tt.want, got, "order of sources received")
			if tt.firstFrom == "a" {
				assert.GreaterOrEqual(t, bSentAt, int64(500_000), "b's message was taken before a's")
			}
		})
	}
}

// A Call is one trap: the client's Call, plus the server's one ReplyWait
// when the server is a task; nothing more when it is placed in the kernel.
func TestCallIsOneTrap(t *testing.T) {
	tests := []struct {
		name      string
		inKernel  bool
		wantTraps int64
	}{
		{"server placed in the kernel", true, 1},
		{"server task running Serve", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			if tt.inKernel {
				_, err := k.Place("echo", testServer)
				require.NoError(t, err)
			} else {
				spawn(t, k, "echo", serve("echo", testServer))
			}
			var deltas []int64
			var replies []uint64
			spawn(t, k, "client", func(sys ipc.Sys) {
				sys.Sleep(1000)
				dst := service(t, sys, "echo")
				for i := uint64(1); i <= 3; i++ {
					var rep ipc.Message
					before := k.Stats().Traps
					assert.NoError(t, sys.Call(dst, word(tPing, i), &rep))
					deltas = append(deltas, k.Stats().Traps-before)
					replies = append(replies, rep.Word(0))
				}
			})
			run(t, k)
			w := tt.wantTraps
			assert.Equal(t, []int64{w, w, w}, deltas, "traps per Call")
			assert.Equal(t, []uint64{1, 2, 3}, replies)
		})
	}
}

// Reply never blocks, and only a task awaiting the replier's reply can be
// replied to.
func TestReply(t *testing.T) {
	t.Run("never blocks and the replier runs on", func(t *testing.T) {
		k := boot(t, kernel.Config{})
		var log []string
		var err error
		srv := spawn(t, k, "server", func(sys ipc.Sys) {
			var req ipc.Message
			if sys.Receive(ipc.Any, &req) != nil {
				return
			}
			err = sys.Reply(req.Source, word(tPing, 42))
			log = append(log, "replied")
		})
		var rep ipc.Message
		spawn(t, k, "client", func(sys ipc.Sys) {
			assert.NoError(t, sys.Call(srv, word(tPing, 1), &rep))
			log = append(log, "client has reply")
		})
		run(t, k)
		require.NoError(t, err)
		assert.Equal(t, []string{"replied", "client has reply"}, log)
		assert.Equal(t, uint64(42), rep.Word(0))
	})

	// Each case has a client calling a "real" server that receives the
	// call and sleeps 1 ms before replying; meanwhile a "rogue" task
	// replies to target.
	tests := []struct {
		name   string
		target string // "client", "sleeper", "sender" (blocked sending to rogue), "twice"
		want   ipc.Errno
	}{
		{"a task awaiting another's reply", "client", ipc.ErrPerm},
		{"a task not in a call", "sleeper", ipc.ErrPerm},
		{"a call not yet received", "sender", ipc.ErrPerm},
		{"a caller already replied to", "twice", ipc.ErrPerm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var (
				err         error
				took        int64
				rep         ipc.Message
				clientErr   error
				client, slp ipc.Endpoint
				sender, srv ipc.Endpoint
			)
			srv = spawn(t, k, "real", func(sys ipc.Sys) {
				var req ipc.Message
				if sys.Receive(ipc.Any, &req) != nil {
					return
				}
				sys.Sleep(1_000_000)
				assert.NoError(t, sys.Reply(req.Source, word(tPing, 7)))
			})
			client = spawn(t, k, "client", func(sys ipc.Sys) {
				clientErr = sys.Call(srv, word(tPing, 1), &rep)
			})
			slp = spawn(t, k, "sleeper", func(sys ipc.Sys) { sys.Sleep(10_000_000) })
			rogue := spawn(t, k, "rogue", func(sys ipc.Sys) {
				sys.Sleep(1000)
				to := map[string]ipc.Endpoint{"client": client, "sleeper": slp, "sender": sender}[tt.target]
				if tt.target == "twice" {
					var req ipc.Message
					if sys.Receive(ipc.Any, &req) != nil {
						return
					}
					assert.NoError(t, sys.Reply(req.Source, word(tPing, 8)))
					to = req.Source
				}
				t0 := sys.Now()
				err = sys.Reply(to, word(tPing, 99))
				took = sys.Now() - t0
				if tt.target == "sender" {
					var m ipc.Message
					assert.NoError(t, sys.Receive(sender, &m)) // let it finish
					assert.NoError(t, sys.Reply(sender, &m))
				}
			})
			sender = spawn(t, k, "sender", func(sys ipc.Sys) {
				var r ipc.Message
				if tt.target == "sender" || tt.target == "twice" {
					assert.NoError(t, sys.Call(rogue, word(tPing, 3), &r))
					assert.NotEqual(t, uint64(99), r.Word(0), "the refused reply arrived")
				}
			})
			run(t, k)
			assertErrno(t, tt.want, err)
			assert.Less(t, took, int64(1000), "Reply waited (%d ns)", took)
			require.NoError(t, clientErr)
			assert.Equal(t, uint64(7), rep.Word(0), "the client got someone else's reply")
		})
	}
}

// ReplyWait replies and receives the next request in one trap; a reply
// nobody waits for any more is dropped and the receive still happens.
func TestReplyWait(t *testing.T) {
	k := boot(t, kernel.Config{})
	var (
		replies  = map[string][]uint64{}
		errs     []error
		timedOut error
		served   []uint64
	)
	srv := spawn(t, k, "server", func(sys ipc.Sys) {
		var req ipc.Message
		if sys.Receive(ipc.Any, &req) != nil {
			return
		}
		for {
			served = append(served, req.Word(0))
			if req.Word(0) == 0 {
				sys.Sleep(1_000_000) // outlast the caller's timeout
			}
			rep := word(tPing, req.Word(0)*10)
			err := sys.ReplyWait(req.Source, rep, &req)
			errs = append(errs, err)
			if err != nil {
				return
			}
		}
	})
	spawn(t, k, "impatient", func(sys ipc.Sys) {
		var rep ipc.Message
		timedOut = sys.CallWith(srv, word(tPing, 0), &rep, &ipc.Extra{TimeoutNs: 1000})
	})
	for _, name := range []string{"c1", "c2"} {
		spawn(t, k, name, func(sys ipc.Sys) {
			sys.Sleep(2000)
			for i := uint64(1); i <= 3; i++ {
				var rep ipc.Message
				assert.NoError(t, sys.Call(srv, word(tPing, i), &rep))
				replies[name] = append(replies[name], rep.Word(0))
			}
		})
	}
	run(t, k)
	assert.ErrorIs(t, timedOut, ipc.ErrTimeout)
	assert.Equal(t, []uint64{10, 20, 30}, replies["c1"])
	assert.Equal(t, []uint64{10, 20, 30}, replies["c2"])
	assert.Len(t, served, 7)
	assert.Equal(t, make([]error, 6), errs, "ReplyWait errors (the dropped reply must not fail the receive)")
}

// The kernel stamps every message with its real sender; what the sender
// wrote in Source and Service is overwritten.
func TestSenderStamping(t *testing.T) {
	fakes := []struct {
		name string
		src  func(other ipc.Endpoint) ipc.Endpoint
	}{
		{"kernel", func(ipc.Endpoint) ipc.Endpoint { return ipc.KernelEndpoint }},
		{"another task", func(o ipc.Endpoint) ipc.Endpoint { return o }},
		{"a service", func(ipc.Endpoint) ipc.Endpoint { return ipc.ServiceEndpoint(1) }},
		{"any", func(ipc.Endpoint) ipc.Endpoint { return ipc.Any }},
	}
	for _, f := range fakes {
		t.Run(f.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var got []ipc.Message
			var rep ipc.Message
			var other ipc.Endpoint
			srv := spawn(t, k, "server", func(sys ipc.Sys) {
				var m ipc.Message
				for i := 0; i < 2; i++ {
					if sys.Receive(ipc.Any, &m) != nil {
						return
					}
					got = append(got, m)
				}
				r := word(tPing, 5)
				r.Source, r.Service = f.src(other), 9
				assert.NoError(t, sys.Reply(m.Source, r))
			})
			other = spawn(t, k, "other", func(sys ipc.Sys) { sys.Sleep(forever) })
			liar := spawn(t, k, "liar", func(sys ipc.Sys) {
				m := word(tPing, 1)
				m.Source, m.Service = f.src(other), 9
				assert.NoError(t, sys.Send(srv, m))
				m.Source, m.Service = f.src(other), 9
				assert.NoError(t, sys.Call(srv, m, &rep))
				assert.NoError(t, sys.Kill(other))
			})
			run(t, k)
			require.Len(t, got, 2)
			for i, m := range got {
				assert.Equal(t, liar, m.Source, "message %d: Source", i)
				assert.Equal(t, ipc.ServiceID(0), m.Service, "message %d: Service", i)
			}
			assert.Equal(t, srv, rep.Source, "reply Source")
			assert.Equal(t, ipc.ServiceID(0), rep.Service, "reply Service")
		})
	}

	t.Run("through the bus", func(t *testing.T) {
		k := boot(t, kernel.Config{})
		var got ipc.Message
		var rep ipc.Message
		srv := spawn(t, k, "server", serve("stamp", handler(func(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
			got = *req
			r := ipc.Reply(req)
			r.Source, r.Service = ipc.KernelEndpoint, 77
			return r
		})))
		var client, dst ipc.Endpoint
		client = spawn(t, k, "client", func(sys ipc.Sys) {
			dst = service(t, sys, "stamp")
			m := word(tPing, 1)
			m.Source, m.Service = srv, 77
			assert.NoError(t, sys.Call(dst, m, &rep))
		})
		run(t, k)
		assert.Equal(t, client, got.Source)
		assert.Equal(t, dst.Service(), got.Service)
		assert.Equal(t, srv, rep.Source)
		assert.Equal(t, dst.Service(), rep.Service)
	})
}

// Notify never blocks, ORs bits into one pending word, and Receive returns
// the pending notifications before any queued message.
func TestNotify(t *testing.T) {
	k := boot(t, kernel.Config{})
	var (
		got      []ipc.Message
		notifyNs int64
	)
	r := spawn(t, k, "receiver", func(sys ipc.Sys) {
		sys.Sleep(1_000_000)
		receiveAll(&got)(sys)
	})
	spawn(t, k, "sender", func(sys ipc.Sys) {
		assert.NoError(t, sys.Send(r, word(tPing, 1))) // queued before the bits
	})
	spawn(t, k, "notifier", func(sys ipc.Sys) {
		sys.Sleep(100)
		t0 := sys.Now()
		assert.NoError(t, sys.Notify(r, 1))
		assert.NoError(t, sys.Notify(r, 2))
		assert.NoError(t, sys.Notify(r, 2))
		notifyNs = sys.Now() - t0
	})
	run(t, k)
	require.Len(t, got, 2, "one coalesced notification and one message")
	assert.Equal(t, ipc.Notification, got[0].Type, "the notification comes first")
	assert.Equal(t, uint64(3), got[0].Word(0), "notification bits")
	assert.Equal(t, ipc.KernelEndpoint, got[0].Source)
	assert.Equal(t, tPing, got[1].Type)
	assert.Less(t, notifyNs, int64(1000), "Notify waited for the receiver")
}

// A notification wakes a task receiving from Any at once, but not one
// receiving from a particular task.
func TestNotifyWakesOnlyOpenReceive(t *testing.T) {
	k := boot(t, kernel.Config{})
	var (
		got   []ipc.Message
		times []int64
	)
	var x ipc.Endpoint
	r := spawn(t, k, "receiver", func(sys ipc.Sys) {
		var m ipc.Message
		assert.NoError(t, sys.Receive(ipc.Any, &m))
		got, times = append(got, m), append(times, sys.Now())
		assert.NoError(t, sys.Receive(x, &m))
		got, times = append(got, m), append(times, sys.Now())
		assert.NoError(t, sys.Receive(ipc.Any, &m))
		got, times = append(got, m), append(times, sys.Now())
	})
	x = spawn(t, k, "x", func(sys ipc.Sys) {
		sys.Sleep(3_000_000)
		assert.NoError(t, sys.Send(r, word(tPing, 1)))
	})
	spawn(t, k, "notifier", func(sys ipc.Sys) {
		sys.Sleep(1_000_000)
		assert.NoError(t, sys.Notify(r, 4))
		sys.Sleep(1_000_000)
		assert.NoError(t, sys.Notify(r, 8))
	})
	run(t, k)
	require.Len(t, got, 3)
	assert.Equal(t, ipc.Notification, got[0].Type)
	assert.Equal(t, uint64(4), got[0].Word(0))
	assert.Less(t, times[0], int64(2_000_000), "woken by the first notification")
	assert.Equal(t, x, got[1].Source, "Receive(x) must wait for x, not take the notification")
	assert.GreaterOrEqual(t, times[1], int64(3_000_000))
	assert.Equal(t, ipc.Notification, got[2].Type)
	assert.Equal(t, uint64(8), got[2].Word(0))
}
