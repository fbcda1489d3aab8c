package tests

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// dsCampaign: each client puts keys and reads them back; client 0 also
// watches its own prefix and drains its changes at every step. At the
// end every key is there, client 0 saw a change for each of its puts
// (its subscription moved), and no client saw the generation change (no
// update looked like a restart).
func dsCampaign(updates int) campaign {
	puts := map[int]int{}
	changes := 0
	return campaign{service: dsproto.Name, updates: updates, clients: 2,
		client: func(sys ipc.Sys, id int, running *bool, r *loadResult) {
			dst, _ := ipc.Dial(sys, dsproto.Name)
			c := &dsproto.Client{Sys: sys, Dst: dst, Attempts: 1}
			if id == 0 {
				if _, err := c.Subscribe("c0/", 1<<4); err != nil {
					r.failed++
				}
			}
			gen := c.Gen
			for n := 0; *running; n++ {
				r.calls += 2
				key := fmt.Sprintf("c%d/%d", id, n)
				if err := c.Put(key, []byte(key)); err != nil {
					r.failed++
				}
				if v, err := c.Get(key); err != nil || string(v) != key {
					r.failed++
				}
				if id == 0 {
					r.calls++
					ch, overflow, err := c.Changes()
					if err != nil || overflow {
						r.failed++
					}
					changes += len(ch)
				}
				puts[id] = n + 1
				if gen == 0 {
					gen = c.Gen
				}
				if c.Gen != gen {
					r.failed++ // the data store looked restarted
					gen = c.Gen
				}
				_ = sys.Sleep(2_000)
			}
		},
		check: func(sys ipc.Sys, r *loadResult) error {
			dst, _ := ipc.Dial(sys, dsproto.Name)
			c := &dsproto.Client{Sys: sys, Dst: dst, Attempts: 1}
			for id := range len(puts) { // in order: the run must not depend on a map's
				n := puts[id]
				keys, err := c.List(fmt.Sprintf("c%d/", id))
				if err != nil {
					return err
				}
				if len(keys) != n {
					return fmt.Errorf("client %d put %d keys, the store has %d", id, n, len(keys))
				}
			}
			if changes != puts[0] {
				return fmt.Errorf("client 0 put %d keys under its prefix and heard of %d changes", puts[0], changes)
			}
			return nil
		}}
}

// pipeCampaign: client 0 writes numbered lines into a pipe in bursts,
// client 1 reads them; the reader waits on the empty pipe most of the
// time, so most updates find its read parked in the pipe server and hand
// it to the new instance. At the end the reader got every line once, in
// order, and then the end of file.
func pipeCampaign(updates int) campaign {
	var rh, wh streamproto.Handle
	var wrote, got []byte
	return campaign{service: "pipe", updates: updates, clients: 2,
		client: func(sys ipc.Sys, id int, running *bool, r *loadResult) {
			c, err := streamproto.Dial(sys, "pipe")
			if err != nil {
				r.failed++
				return
			}
			if id == 0 {
				if rh, wh, err = c.Pipe(); err != nil {
					r.failed++
					return
				}
				for n := 0; *running; n++ {
					r.calls++
					line := fmt.Appendf(nil, "%d\n", n)
					if _, err := c.Write(wh, line); err != nil {
						r.failed++
					}
					wrote = append(wrote, line...)
					_ = sys.Sleep(int64(1_000 + n%7*3_000))
				}
				r.calls++
				if err := c.Close(wh); err != nil {
					r.failed++
				}
				return
			}
			for rh == 0 {
				_ = sys.Sleep(1_000)
			}
			buf := make([]byte, 256)
			for {
				r.calls++
				n, err := c.Read(rh, buf)
				if err != nil {
					r.failed++
					return
				}
				if n == 0 {
					return // end of file: the writer closed
				}
				got = append(got, buf[:n]...)
			}
		},
		check: func(ipc.Sys, *loadResult) error {
			if !bytes.Equal(got, wrote) {
				return fmt.Errorf("the reader got %d bytes, the writer wrote %d", len(got), len(wrote))
			}
			return nil
		}}
}

func TestLiveUpdateDataStoreUnderLoad(t *testing.T) {
	for _, p := range updatePlacements {
		t.Run(p.name, func(t *testing.T) {
			c := dsCampaign(loadUpdates)
			cfg := boot.Default()
			cfg.Mode = p.mode
			cfg.Servers = []boot.ServerConf{{Name: dsproto.Name, Placement: p.placement}}
			c.assertClean(t, c.run(t, cfg))
		})
	}
}

func TestLiveUpdatePipeUnderLoad(t *testing.T) {
	for _, p := range updatePlacements {
		t.Run(p.name, func(t *testing.T) {
			c := pipeCampaign(loadUpdates)
			cfg := boot.Default()
			cfg.Mode = p.mode
			cfg.Servers = []boot.ServerConf{{Name: "pipe", Placement: p.placement}}
			c.assertClean(t, c.run(t, cfg))
		})
	}
}
