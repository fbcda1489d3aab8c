package ostepfs

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/internal/raid"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/kernel"
)

// raidReq is one logical request of a raid.py run.
type raidReq struct {
	blk, size int64
	write     bool
}

// raidOnMkos runs the same requests through mkos's disk driver, its RAID
// over simulated disks the size of raid.py's (100 tracks of 100 blocks),
// and says what each member served and when the last request finished.
func raidOnMkos(lay raid.Layout, reqs []raidReq, kind string, out, errw io.Writer) int {
	conf := &boot.RaidConf{Level: int(lay.Level), Disks: lay.Disks, Chunk: int(lay.ChunkBlocks)}
	if lay.LeftAsymmetric {
		conf.Layout = "la"
	}
	cfg := boot.Default()
	cfg.Workload.Clients = 0
	cfg.Disk = &boot.DiskConf{Size: boot.Size(raidDiskBlocks * raidBlockBytes), Kind: kind, IOSched: "fifo", Raid: conf}
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		fmt.Fprintf(out, "mkos (--mkos): mkos's disk driver cannot run this array: %v\n", err)
		return 0
	}
	defer sys.Close()
	logical := lay.LogicalBlocks(raidDiskBlocks)
	var skipped, done int
	var end int64
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "raidpy", Body: func(s ipc.Sys) {
		id, err := s.Lookup(diskproto.Name)
		if err != nil {
			return
		}
		c := diskproto.Client{Sys: s, Dst: ipc.ServiceEndpoint(id)}
		for _, r := range reqs {
			if r.blk < 0 || r.size <= 0 || r.blk+r.size > logical {
				skipped++
				continue
			}
			if raidRequest(c, r) == nil {
				done++
			}
		}
		end = s.Now()
	}})
	if err == nil {
		_, err = sys.Run()
	}
	if err != nil {
		fmt.Fprintln(errw, "mkos ostep raid --mkos:", err)
		return 1
	}
	fmt.Fprintf(out, "mkos (--mkos): the same %d requests, one after another, through mkos's disk driver: its RAID %d over %d simulated %s disks of %d blocks, mapped by internal/raid as raid.py maps them:\n",
		len(reqs), lay.Level, lay.Disks, kind, raidDiskBlocks)
	for i, m := range sys.RAID.Members {
		st := m.Stats()
		fmt.Fprintf(out, "  disk %d: %d reads, %d writes (%d blocks), busy %s\n", i, st.Reads, st.Writes, (st.BytesRead+st.BytesWritten)/raidBlockBytes, kernel.FormatNs(st.BusyNs))
	}
	fmt.Fprintf(out, "  %d requests served in %s of virtual time", done, kernel.FormatNs(end))
	if skipped > 0 {
		fmt.Fprintf(out, "; %d outside the array's %d blocks skipped", skipped, logical)
	}
	fmt.Fprintln(out)
	return 0
}

// raidRequest makes one logical request, in pieces the disk protocol
// carries.
func raidRequest(c diskproto.Client, r raidReq) error {
	const most = int64(ipc.MaxBulk / raidBlockBytes)
	for b := r.blk; b < r.blk+r.size; b += most {
		n := int(min(most, r.blk+r.size-b))
		buf := make([]byte, n*raidBlockBytes)
		var err error
		if r.write {
			err = c.WriteBlocks(b, n, buf)
		} else {
			err = c.ReadBlocks(b, n, buf)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
