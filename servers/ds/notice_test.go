package ds_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/ds/store"
)

// publishes records the topics of the trace's publications.
type publishes struct{ topics []string }

func (p *publishes) Event(e *kernel.Event) {
	if e.Kind == kernel.EvPublish {
		p.topics = append(p.topics, e.Svc)
	}
}

// A change crosses the bus: ds publishes it on the watcher's notice topic
// (the trace shows `publish ds/n/…`), and the watcher wakes with its own
// bits. Once the watcher is dead, its bus subscription and its queue at
// ds are gone, and a change it watched is published to no one.
func TestNoticeCrossesTheBus(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			tr := &publishes{}
			k, err := kernel.New(kernel.Config{Seed: 1, Trace: tr})
			if !assert.NoError(t, err) {
				return
			}
			srv := ds.New(store.NewMemory(), ds.Options{})
			if pl.inKernel {
				_, err = k.Place(dsproto.Name, srv)
			} else if _, err = k.Declare(dsproto.Name); err == nil {
				_, err = k.Spawn(dsTask(srv))
			}
			if !assert.NoError(t, err) {
				return
			}
			var bits uint64
			var changes []dsproto.Change
			watcher := spawn(t, k, "watcher", func(sys ipc.Sys, c *dsproto.Client) {
				_, err := c.Subscribe("cfg/", 1<<5)
				assert.NoError(t, err)
				var m ipc.Message
				if assert.NoError(t, sys.Receive(ipc.Any, &m)) && m.Type == ipc.Notification {
					bits = m.Word(0)
				}
				changes, _, err = c.Changes()
				assert.NoError(t, err)
			})
			topic := dsproto.NoticeTopic(watcher)
			var subsAlive, subsDead, dsAfter int
			var published, publishedDead []string
			spawn(t, k, "writer", func(sys ipc.Sys, c *dsproto.Client) {
				sys.Sleep(100_000) // the watcher subscribed
				subsAlive = k.Subscribers(topic)
				assert.NoError(t, c.Put("cfg/a", nil))
				sys.Sleep(100_000) // the watcher took it and ended
				published = append([]string(nil), tr.topics...)
				subsDead, dsAfter = k.Subscribers(topic), srv.Subscribers()
				assert.NoError(t, c.Put("cfg/b", nil))
				publishedDead = tr.topics[len(published):]
			})
			run(t, k)
			assert.Equal(t, 1, subsAlive, "subscribers of %s while the watcher lives", topic)
			assert.Contains(t, published, topic, "publications")
			assert.Equal(t, uint64(1<<5), bits, "the watcher's notification bits")
			assert.Equal(t, []dsproto.Change{{Op: dsproto.OpPut, Key: "cfg/a"}}, changes)
			assert.Equal(t, 0, subsDead, "subscribers of %s after the watcher died", topic)
			assert.Equal(t, 0, dsAfter, "ds subscribers after the watcher died")
			assert.NotContains(t, publishedDead, topic, "publications after the watcher died")
		})
	}
}
