package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

// publisher registers svc and publishes n messages (word 0 = 1..n) on
// topic, sleeping gapNs between them.
func publisher(svc, topic string, n int, gapNs int64, errs *[]error) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		_, _ = sys.Register(svc)
		_ = sys.Sleep(1000) // let the subscribers subscribe
		for i := 1; i <= n; i++ {
			err := ipc.Publish(sys, topic, word(tPing, uint64(i)))
			if errs != nil {
				*errs = append(*errs, err)
			}
			if gapNs > 0 {
				_ = sys.Sleep(gapNs)
			}
		}
	}
}

// Every current subscriber gets every publication, in order, stamped with
// the publisher; a blocked BusNext wakes for it.
func TestPublishReachesEverySubscriber(t *testing.T) {
	k := boot(t, kernel.Config{})
	pub := spawn(t, k, "pub", publisher("news", "news/today", 3, 100, nil))
	got := make([][]uint64, 2)
	for i := range got {
		spawn(t, k, "sub", func(sys ipc.Sys) {
			require.NoError(t, ipc.Subscribe(sys, "news/today", 0))
			for range 3 {
				var m ipc.Message
				topic, dropped, err := ipc.NextPublished(sys, "", true, &m)
				require.NoError(t, err)
				assert.Equal(t, "news/today", topic)
				assert.Zero(t, dropped)
				assert.Equal(t, pub, m.Source, "Source is the publisher")
				got[i] = append(got[i], m.Word(0))
			}
		})
	}
	run(t, k)
	assert.Equal(t, [][]uint64{{1, 2, 3}, {1, 2, 3}}, got)
}

// A full queue drops its oldest message and the subscriber reads the
// count with the next one it takes.
func TestSubscriberOverflowDropsOldest(t *testing.T) {
	tests := []struct {
		name        string
		depth, sent int
		want        []uint64
		wantDropped int64
	}{
		{"fits", 4, 3, []uint64{1, 2, 3}, 0},
		{"exactly full", 3, 3, []uint64{1, 2, 3}, 0},
		{"two too many", 3, 5, []uint64{3, 4, 5}, 2},
		{"depth one", 1, 4, []uint64{4}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			spawn(t, k, "pub", publisher("news", "news", tt.sent, 0, nil))
			var got []uint64
			var dropped int64
			spawn(t, k, "sub", func(sys ipc.Sys) {
				require.NoError(t, ipc.Subscribe(sys, "news", tt.depth))
				_ = sys.Sleep(1_000_000) // the publisher is done
				for {
					var m ipc.Message
					_, d, err := ipc.NextPublished(sys, "news", false, &m)
					if err != nil {
						assert.ErrorIs(t, err, linux.EAGAIN, "an empty queue")
						return
					}
					got, dropped = append(got, m.Word(0)), dropped+d
				}
			})
			run(t, k)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantDropped, dropped, "Dropped")
		})
	}
}

// A subscriber that is not waiting is notified (NotifyBus, or the bits
// it subscribed with) once per empty-to-non-empty change.
func TestPublishNotifiesIdleSubscriber(t *testing.T) {
	tests := []struct {
		name      string
		subBits   uint64
		wantBits  uint64
		wantOther uint64 // pending after the first notification
	}{
		{"default bits", 0, ipc.NotifyBus, 0},
		{"own bits", 1 << 7, 1 << 7, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			spawn(t, k, "pub", publisher("news", "news", 2, 0, nil))
			var bits, later uint64
			var n int
			spawn(t, k, "sub", func(sys ipc.Sys) {
				require.NoError(t, sys.Bus(&ipc.BusRequest{Op: ipc.BusSubscribe, Topic: "news", Bits: tc.subBits}))
				var m ipc.Message
				require.NoError(t, sys.Receive(ipc.KernelEndpoint, &m))
				bits = m.Word(0)
				_ = sys.Sleep(10_000)
				later = sys.Poll()
				for {
					if _, _, err := ipc.NextPublished(sys, "", false, &m); err != nil {
						return
					}
					n++
				}
			})
			run(t, k)
			assert.Equal(t, tc.wantBits, bits, "notification bits")
			assert.Equal(t, tc.wantOther, later, "bits pending after the second publication")
			assert.Equal(t, 2, n, "both messages queued")
		})
	}
}

// Only an instance of service S publishes on S or S/…; topics and depths
// are checked; a subscription dies with its task.
func TestPublishRules(t *testing.T) {
	k := boot(t, kernel.Config{})
	var errs []error
	spawn(t, k, "pub", func(sys ipc.Sys) {
		_, _ = sys.Register("news")
		for _, topic := range []string{"news", "news/x", "newsy", "other", "kernel/exit", "", string(make([]byte, ipc.MaxTopic+1))} {
			errs = append(errs, ipc.Publish(sys, topic, word(tPing, 1)))
		}
		errs = append(errs, ipc.Publish(sys, "news", &ipc.Message{Type: ipc.Notification}))
		errs = append(errs, ipc.Subscribe(sys, "news", -1), ipc.Subscribe(sys, "news", ipc.MaxDepth+1))
		errs = append(errs, ipc.Unsubscribe(sys, "never"))
		for i := 0; i < ipc.MaxSubscriptions; i++ {
			_ = ipc.Subscribe(sys, "t"+string(rune('a'+i)), 1)
		}
		errs = append(errs, ipc.Subscribe(sys, "one-too-many", 1))
		var m ipc.Message
		_, _, err := ipc.NextPublished(sys, "", true, &m)
		errs = append(errs, err) // nothing comes: the run ends with this task asleep
	})
	require.NoError(t, k.Run())
	want := []ipc.Errno{0, 0, linux.EPERM, linux.EPERM, linux.EPERM, linux.EINVAL, linux.EINVAL, linux.EINVAL,
		linux.EINVAL, linux.EINVAL, linux.EINVAL, linux.ENOSPC}
	got := make([]ipc.Errno, len(errs))
	for i, err := range errs {
		got[i] = ipc.ErrnoOf(err)
	}
	assert.Equal(t, want, got)
}

// A subscriber's death ends its subscriptions: later publications reach
// only the living, and a timed wait times out.
func TestSubscriptionDiesWithTask(t *testing.T) {
	k := boot(t, kernel.Config{})
	var n int
	var timeout error
	spawn(t, k, "short", func(sys ipc.Sys) {
		require.NoError(t, ipc.Subscribe(sys, "news", 0))
		_ = sys.Sleep(500)
		sys.Exit(0)
	})
	spawn(t, k, "long", func(sys ipc.Sys) {
		require.NoError(t, ipc.Subscribe(sys, "news", 0))
		for {
			r := ipc.BusRequest{Op: ipc.BusNext, Wait: true, TimeoutNs: 1_000_000}
			if err := sys.Bus(&r); err != nil {
				timeout = err
				return
			}
			n++
		}
	})
	var before, after int
	spawn(t, k, "pub", func(sys ipc.Sys) {
		_ = sys.Sleep(100)
		before = k.Subscribers("news")
		publisher("news", "news", 3, 100, nil)(sys)
		after = k.Subscribers("news")
	})
	run(t, k)
	assert.Equal(t, 2, before, "Subscribers before the short one dies")
	assert.Equal(t, 1, after, "Subscribers after")
	assert.Equal(t, 3, n)
	assert.ErrorIs(t, timeout, ipc.ErrTimeout)
	assert.Zero(t, k.Subscribers("news"), "Subscribers once both died")
}

// Topics lists the topics with their subscribers, what waits in their
// queues and what was dropped, sorted by name.
func TestTopicsListing(t *testing.T) {
	k := boot(t, kernel.Config{})
	spawn(t, k, "pub", publisher("news", "news", 5, 0, nil))
	spawn(t, k, "sub", func(sys ipc.Sys) {
		require.NoError(t, ipc.Subscribe(sys, "news", 3))
		require.NoError(t, ipc.Subscribe(sys, "news/b", 0))
		_ = sys.Sleep(1_000_000)
	})
	var got []kernel.TopicInfo
	spawn(t, k, "look", func(sys ipc.Sys) {
		_ = sys.Sleep(500_000)
		got = k.Topics()
	})
	run(t, k)
	assert.Equal(t, []kernel.TopicInfo{{Name: "news", Subscribers: 1, Queued: 3, Dropped: 2}, {Name: "news/b", Subscribers: 1}}, got)
	assert.Empty(t, k.Topics(), "no topic once its subscribers died")
}

// A publish costs the trap, RouteNs and PublishNs per subscriber; a frame
// costs the trap and FrameNs.
func TestBusCosts(t *testing.T) {
	p := kernel.Profiles["mach"]
	tests := []struct {
		name string
		subs int
		want int64
	}{
		{"no subscriber", 0, p.TrapNs + p.RouteNs},
		{"one subscriber", 1, p.TrapNs + p.RouteNs + p.PublishNs},
		{"three subscribers", 3, p.TrapNs + p.RouteNs + 3*p.PublishNs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{Profile: p})
			for i := 0; i < tt.subs; i++ {
				spawn(t, k, "sub", func(sys ipc.Sys) {
					_ = ipc.Subscribe(sys, "news", 0)
					_ = sys.Sleep(1_000_000)
				})
			}
			var got int64
			spawn(t, k, "pub", func(sys ipc.Sys) {
				_, _ = sys.Register("news")
				_ = sys.Sleep(100_000)
				t0 := sys.Now()
				require.NoError(t, ipc.Publish(sys, "news", word(tPing, 1)))
				got = sys.Now() - t0
			})
			run(t, k)
			assert.Equal(t, tt.want, got, "virtual time of one Publish")
		})
	}
	k := boot(t, kernel.Config{Profile: p})
	var got int64
	spawn(t, k, "server", func(sys ipc.Sys) {
		_, _ = sys.Register("streams")
		var req ipc.Message
		_ = sys.Receive(ipc.Any, &req)
		srv, err := ipc.AcceptStream(sys, ipc.StreamID(req.Word(0)))
		require.NoError(t, err)
		rep := ipc.Reply(&req)
		_ = sys.Reply(req.Source, &rep)
		t0 := sys.Now()
		require.NoError(t, srv.Emit(word(tPing, 1), false))
		got = sys.Now() - t0
	})
	spawn(t, k, "client", func(sys ipc.Sys) {
		s, err := ipc.OpenStream(sys, 1)
		require.NoError(t, err)
		var rep ipc.Message
		_ = sys.Call(service(t, sys, "streams"), word(tStream, uint64(s.ID)), &rep)
	})
	run(t, k)
	assert.Equal(t, p.TrapNs+p.FrameNs, got, "virtual time of one frame")
}
