package disk_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/kernel"
)

// schedRun boots a 64 MiB HDD with the driver under policy, reads block
// first alone, then — while that read is on the device — one block from
// each of blocks, each from its own client, in order. It returns the
// driver's and the disk's counters and the virtual time the last read
// finished.
func schedRun(t *testing.T, place func(*testing.T, *kernel.Kernel, *disk.Driver), policy string, first int64, blocks []int64) (diskproto.DriverStats, hw.Stats, int64) {
	t.Helper()
	var stats diskproto.DriverStats
	var end int64
	r := bootDisk(t, place, hw.Options{}, policy)
	read := func(sys ipc.Sys, c diskproto.Client, b int64) {
		assert.NoError(t, c.ReadBlocks(b, 1, make([]byte, 4096)), "read %d", b)
		end = max(end, sys.Now())
	}
	r.client(t, "first", func(sys ipc.Sys, c diskproto.Client) { read(sys, c, first) })
	for i, b := range blocks {
		r.client(t, fmt.Sprint("reader", i), func(sys ipc.Sys, c diskproto.Client) {
			sys.Sleep(100_000 + int64(i)*1_000) // the first read takes milliseconds
			read(sys, c, b)
		})
	}
	r.client(t, "stats", func(sys ipc.Sys, c diskproto.Client) {
		sys.Sleep(1_000_000_000)
		var err error
		stats, err = c.Stats()
		assert.NoError(t, err)
	})
	r.run(t)
	return stats, r.dev.Stats(), end
}

// The same requests under each policy, in both placements: the driver's
// seek count and distance (in blocks, from Stats) and the disk's (in
// cylinders of 203 blocks) are exact. The distance counts the first read's
// seek from block 0 and runs from the block after each read (head = block
// + 1), hence 34648 = 50 × 640 + 2650 − 2 for FIFO on the textbook queue.
func TestSchedulersSeekCounts(t *testing.T) {
	type want struct {
		seeks, distance int64 // the driver's
		hwSeeks, hwCyl  int64 // the disk's
	}
	patterns := []struct {
		name   string
		first  int64
		blocks []int64
		want   map[string]want
	}{
		// Two programs reading two files block by block: FIFO seeks
		// between them on every request; SSTF and C-LOOK read each run
		// through, with one seek between them.
		{"two streams", 2000, []int64{8000, 2001, 8001, 2002, 8002, 2003, 8003, 2004}, map[string]want{
			"fifo":  {9, 2000 + 4*5999 + 4*6000, 9, 9 + 8*30},
			"sstf":  {2, 2000 + 5995, 2, 9 + 30},
			"clook": {2, 2000 + 5995, 2, 9 + 30},
		}},
		// The textbook queue scaled by 50 blocks a cylinder, head at 53:
		// every request is a seek under every policy, but the distance
		// differs as in the book.
		{"textbook", 53 * 50, []int64{98 * 50, 183 * 50, 37 * 50, 122 * 50, 14 * 50, 124 * 50, 65 * 50, 67 * 50}, map[string]want{
			"fifo":  {9, 34648, 8, 170},
			"sstf":  {9, 14446, 7, 71},
			"clook": {9, 18744, 7, 93},
		}},
	}
	for _, pl := range placements {
		for _, p := range patterns {
			t.Run(pl.name+"/"+p.name, func(t *testing.T) {
				ends := map[string]int64{}
				for _, policy := range disk.SchedulerNames() {
					st, hs, end := schedRun(t, pl.place, policy, p.first, p.blocks)
					w := p.want[policy]
					assert.Equal(t, diskproto.DriverStats{Requests: 9, Seeks: w.seeks, SeekDistance: w.distance, MaxQueue: 9}, st, policy)
					assert.Equal(t, w.hwSeeks, hs.Seeks, "%s: the disk's seeks", policy)
					assert.Equal(t, w.hwCyl, hs.SeekCylinders, "%s: the disk's seek distance", policy)
					assert.Equal(t, int64(9), hs.Reads, policy)
					ends[policy] = end
				}
				if p.name == "two streams" {
					assert.Less(t, ends["sstf"], ends["fifo"], "fewer seeks, less time")
					assert.Less(t, ends["clook"], ends["fifo"])
				}
			})
		}
	}
}
