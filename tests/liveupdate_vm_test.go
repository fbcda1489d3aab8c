package tests

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/pmproto"
)

// mmCampaign: each client owns a heap of more pages than mm may keep
// resident, so pages go to swap and come back; every step it writes a
// new value into one page and reads back two (that one, and the one half
// the heap away), and at the end it reads back every page. A page that
// comes back with another value (a lost region, swap slot or swapped
// page) fails the client; one that cannot come back kills it (SIGSEGV),
// and the campaign sees a client that never finished.
func mmCampaign(updates int) campaign {
	const pages = 12
	return campaign{service: "mm", updates: updates, clients: 2,
		client: func(sys ipc.Sys, id int, running *bool, r *loadResult) {
			c, err := mmproto.Dial(sys)
			if err == nil {
				_, err = c.Brk(mmproto.HeapBase + pages*ipc.PageSize)
			}
			if err != nil {
				r.failed++
				return
			}
			want := make([]uint64, pages)
			buf := make([]byte, 8)
			check := func(j int) {
				r.calls++
				if sys.Load(mmproto.HeapBase+uint64(j)*ipc.PageSize, buf) != nil || binary.LittleEndian.Uint64(buf) != want[j] {
					r.failed++
				}
			}
			for n := 1; *running; n++ {
				i := n % pages
				want[i] = uint64(id<<32 | n)
				r.calls++
				if sys.Store(mmproto.HeapBase+uint64(i)*ipc.PageSize, binary.LittleEndian.AppendUint64(nil, want[i])) != nil {
					r.failed++
				}
				check(i)
				check((i + pages/2) % pages)
				_ = sys.Sleep(2_000)
			}
			for j := range pages {
				check(j)
			}
		},
		check: func(sys ipc.Sys, r *loadResult) error {
			c, err := mmproto.Dial(sys)
			if err != nil {
				return err
			}
			st, err := c.Stats()
			if err == nil && st.SwapOuts == 0 {
				err = fmt.Errorf("no page went to swap: the campaign did not test the swap's state (%+v)", st)
			}
			return err
		}}
}

// pmCampaign: each client spawns a program and waits for it, again and
// again; the Wait is blocked in pm while the child runs, so updates find
// it parked and hand it to the new pm. Every child must be reaped with
// its status, and pm must know every client afterwards.
func pmCampaign(updates int) campaign {
	pids := map[int]int{}
	return campaign{service: pmproto.Name, updates: updates, clients: 2,
		client: func(sys ipc.Sys, id int, running *bool, r *loadResult) {
			c, err := pmproto.Dial(sys)
			if err != nil {
				r.failed++
				return
			}
			for *running {
				r.calls += 2
				pid, err := c.Spawn("/bin/sleep", []string{"sleep", "0.00003"}, nil, nil)
				if err != nil {
					r.failed++
					_ = sys.Sleep(5_000)
					continue
				}
				got, status, err := c.Wait(pid, 0)
				if err != nil || got != pid || !status.Exited() || status.ExitStatus() != 0 {
					r.failed++
				}
				pids[id]++
			}
		},
		check: func(sys ipc.Sys, r *loadResult) error {
			c, _ := pmproto.Dial(sys)
			ps, err := c.Ps()
			if err != nil {
				return err
			}
			for _, p := range ps {
				if p.Name == "sleep" {
					return fmt.Errorf("pm still lists %+v: a child not reaped", p)
				}
			}
			if pids[0] == 0 || pids[1] == 0 {
				return fmt.Errorf("children reaped: %v", pids)
			}
			return nil
		}}
}

func TestLiveUpdateMemoryManagerUnderLoad(t *testing.T) {
	for _, p := range updatePlacements {
		t.Run(p.name, func(t *testing.T) {
			c := mmCampaign(loadUpdates)
			cfg := boot.Default()
			cfg.Mode = p.mode
			cfg.Servers = []boot.ServerConf{{Name: "mm", Placement: p.placement}}
			cfg.Memory.Frames, cfg.Memory.Resident = 96, 16
			c.assertClean(t, c.run(t, cfg))
		})
	}
}

func TestLiveUpdateProcessManagerUnderLoad(t *testing.T) {
	for _, p := range updatePlacements {
		t.Run(p.name, func(t *testing.T) {
			c := pmCampaign(loadUpdates)
			cfg := boot.UserSpace(boot.Default())
			cfg.Mode = p.mode
			cfg.Servers = append([]boot.ServerConf{{Name: fsproto.Name, Placement: p.placement}}, cfg.Servers[2:]...)
			for i := range cfg.Servers {
				if cfg.Servers[i].Name == pmproto.Name {
					cfg.Servers[i].Placement = p.placement
				}
			}
			cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
			c.assertClean(t, c.run(t, cfg))
		})
	}
}
