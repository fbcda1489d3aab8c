package ds_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/ds/store"
)

// A subscriber sleeps in Receive until the ds notifies it, then fetches
// the changes under its prefix; changes elsewhere never reach it.
func TestSubscribeNotifies(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			srv := ds.New(pl.open(t), ds.Options{})
			k := bootDS(t, srv, pl.inKernel)
			var changes []dsproto.Change
			var notes int
			var bits uint64
			var unsub, again ipc.Errno
			spawn(t, k, "watcher", func(sys ipc.Sys, c *dsproto.Client) {
				_, err := c.Subscribe("cfg/", dsproto.DefaultBits)
				assert.NoError(t, err)
				for len(changes) < 3 {
					var m ipc.Message
					if !assert.NoError(t, sys.Receive(ipc.Any, &m)) || m.Type != ipc.Notification {
						return
					}
					notes++
					bits |= m.Word(0)
					cs, overflow, err := c.Changes()
					assert.NoError(t, err)
					assert.False(t, overflow)
					changes = append(changes, cs...)
				}
				unsub = errnoOf(c.Unsubscribe("cfg/"))
				_, _, err = c.Changes()
				again = errnoOf(err)
			})
			spawn(t, k, "writer", func(sys ipc.Sys, c *dsproto.Client) {
				sys.Sleep(100_000) // let the watcher subscribe
				assert.NoError(t, c.Put("cfg/a", []byte("1")))
				assert.NoError(t, c.Put("other/x", []byte("2")))
				assert.NoError(t, c.Put("cfg/b", []byte("3")))
				assert.NoError(t, c.Delete("cfg/a"))
			})
			run(t, k)
			assert.Equal(t, []dsproto.Change{
				{Op: dsproto.OpPut, Key: "cfg/a"}, {Op: dsproto.OpPut, Key: "cfg/b"}, {Op: dsproto.OpDelete, Key: "cfg/a"},
			}, changes)
			assert.GreaterOrEqual(t, notes, 1)
			assert.Equal(t, dsproto.DefaultBits, bits, "notification bits")
			assert.Equal(t, ipc.Errno(0), unsub, "Unsubscribe")
			assert.Equal(t, linux.ESTALE, again, "Changes after the last Unsubscribe")
			assert.Equal(t, 0, srv.Subscribers())
		})
	}
}

// A full queue drops further changes and says so once; one notification
// covers a batch.
func TestQueueOverflow(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			k := bootDS(t, ds.New(pl.open(t), ds.Options{QueueLen: 2}), pl.inKernel)
			var first, second []dsproto.Change
			var over1, over2 bool
			var pending uint64
			spawn(t, k, "self-watcher", func(sys ipc.Sys, c *dsproto.Client) {
				_, err := c.Subscribe("q/", 1<<3)
				assert.NoError(t, err)
				for _, key := range []string{"q/1", "q/2", "q/3", "q/4", "q/5"} {
					assert.NoError(t, c.Put(key, nil))
				}
				pending = sys.Poll()
				first, over1, err = c.Changes()
				assert.NoError(t, err)
				assert.NoError(t, c.Delete("q/5"))
				second, over2, err = c.Changes()
				assert.NoError(t, err)
			})
			run(t, k)
			assert.Equal(t, uint64(1<<3), pending, "pending bits after five puts")
			assert.Equal(t, []dsproto.Change{{Op: dsproto.OpPut, Key: "q/1"}, {Op: dsproto.OpPut, Key: "q/2"}}, first)
			assert.True(t, over1, "first Changes reports the overflow")
			assert.Equal(t, []dsproto.Change{{Op: dsproto.OpDelete, Key: "q/5"}}, second)
			assert.False(t, over2, "the overflow is reported once")
		})
	}
}

// A subscriber that died is dropped when a full table needs its place,
// and when the kernel says it died (no notice tells it any more).
func TestDeadSubscribersDropped(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			srv := ds.New(pl.open(t), ds.Options{MaxSubscribers: 2})
			k := bootDS(t, srv, pl.inKernel)
			shortLived := func(at int64) func(ipc.Sys, *dsproto.Client) {
				return func(sys ipc.Sys, c *dsproto.Client) {
					sys.Sleep(at)
					_, err := c.Subscribe("", dsproto.DefaultBits)
					assert.NoError(t, err)
				}
			}
			spawn(t, k, "short-lived 1", shortLived(1))
			spawn(t, k, "short-lived 2", shortLived(1))
			spawn(t, k, "short-lived 3", shortLived(200_000))
			var late ipc.Errno
			var afterLate, afterPut int
			spawn(t, k, "late", func(sys ipc.Sys, c *dsproto.Client) {
				sys.Sleep(100_000) // the table is full of the dead
				_, err := c.Subscribe("", dsproto.DefaultBits)
				late = errnoOf(err)
				afterLate = srv.Subscribers()
				sys.Sleep(1_000_000)
			})
			spawn(t, k, "writer", func(sys ipc.Sys, c *dsproto.Client) {
				sys.Sleep(300_000)
				assert.NoError(t, c.Put("k", nil)) // the notice to short-lived 3 fails
				afterPut = srv.Subscribers()
			})
			run(t, k)
			assert.Equal(t, ipc.Errno(0), late, "Subscribe with a table full of the dead")
			assert.Equal(t, 1, afterLate, "subscribers after the sweep")
			assert.Equal(t, 1, afterPut, "subscribers after a put")
		})
	}
}

// The table's bounds: subscribers and prefixes.
func TestSubscriptionLimits(t *testing.T) {
	k := bootDS(t, ds.New(store.NewMemory(), ds.Options{MaxSubscribers: 1, MaxPrefixes: 2}), false)
	var errs []ipc.Errno
	spawn(t, k, "greedy", func(sys ipc.Sys, c *dsproto.Client) {
		for _, p := range []string{"a", "b", "a", "c"} {
			_, err := c.Subscribe(p, dsproto.DefaultBits)
			errs = append(errs, errnoOf(err))
		}
		sys.Sleep(1_000_000) // stay alive while the other tries
	})
	spawn(t, k, "second", func(sys ipc.Sys, c *dsproto.Client) {
		sys.Sleep(100_000)
		_, err := c.Subscribe("a", dsproto.DefaultBits)
		errs = append(errs, errnoOf(err))
	})
	run(t, k)
	assert.Equal(t, []ipc.Errno{0, 0, 0, linux.ENOSPC, linux.ENOSPC}, errs,
		"two prefixes, the same one again, a third prefix, a second subscriber")
}

// A subscriber killed frees its place in the table at once: ds hears of
// its death from the kernel. (Before, it stayed until a change it watched
// failed to notify it, or the table was full.)
func TestKilledSubscriberIsDropped(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			srv := ds.New(pl.open(t), ds.Options{})
			k := bootDS(t, srv, pl.inKernel)
			subscribed := false
			var during, after int
			victim := spawn(t, k, "watcher", func(sys ipc.Sys, c *dsproto.Client) {
				_, err := c.Subscribe("cfg/", dsproto.DefaultBits)
				assert.NoError(t, err)
				subscribed = true
				sys.Sleep(1 << 50)
			})
			spawn(t, k, "killer", func(sys ipc.Sys, c *dsproto.Client) {
				for !subscribed {
					sys.Sleep(1000)
				}
				during = srv.Subscribers()
				assert.NoError(t, sys.Kill(victim))
				sys.Sleep(1000)
				after = srv.Subscribers()
			})
			run(t, k)
			assert.Equal(t, 1, during, "Subscribers() before the kill")
			assert.Equal(t, 0, after, "Subscribers() after the kill")
		})
	}
}

// A ds in user space hears of deaths on the kernel/exit topic: one whose
// task may not watch exits (no KExits: no exit notices) still drops a
// killed subscriber at once.
func TestExitTopicDropsKilledSubscriber(t *testing.T) {
	srv := ds.New(store.NewMemory(), ds.Options{})
	k, err := kernel.New(kernel.Config{Seed: 1})
	require.NoError(t, err)
	_, err = k.Declare(dsproto.Name)
	require.NoError(t, err)
	spec := dsTask(srv)
	spec.Priv = &ipc.Priv{Name: "ds", Register: []string{dsproto.Name}, Services: []string{ipc.AnyName}}
	_, err = k.Spawn(spec)
	require.NoError(t, err)
	subscribed := false
	var during, after int
	victim := spawn(t, k, "watcher", func(sys ipc.Sys, c *dsproto.Client) {
		_, err := c.Subscribe("cfg/", dsproto.DefaultBits)
		assert.NoError(t, err)
		subscribed = true
		sys.Sleep(1 << 50)
	})
	spawn(t, k, "killer", func(sys ipc.Sys, c *dsproto.Client) {
		for !subscribed {
			sys.Sleep(1000)
		}
		during = srv.Subscribers()
		assert.NoError(t, sys.Kill(victim))
		sys.Sleep(1000)
		after = srv.Subscribers()
	})
	run(t, k)
	assert.Equal(t, 1, during, "Subscribers() before the kill")
	assert.Equal(t, 0, after, "Subscribers() after the kill")
}
