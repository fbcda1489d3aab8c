package ostepfs

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
)

// The disk --mkos replays requests on: mkos's HDD model (7200 rpm, 100 MB/s)
// with 64 KiB blocks holds diskMkosPerTrack blocks a track, as disk.py's
// default zoning (30 degrees) does, and three tracks of them.
const (
	diskMkosBlockBytes = 64 << 10
	diskMkosPerTrack   = 12
	diskMkosBlocks     = 3 * diskMkosPerTrack
	// diskMkosWarm is the block of the first read, not shown: it leaves
	// the head after it, on the outer track where disk.py's head starts
	// (block 6), and keeps the disk busy while the requests queue.
	diskMkosWarm = 5
	// diskMkosQueueNs is how long the requesters wait before sending, so
	// that the first read is on the disk when they arrive.
	diskMkosQueueNs = 1_000_000
)

// diskMkosSched is the disk driver's scheduler nearest each disk.py
// policy: mkos has no rotation-aware one, so SATF and BSATF get sstf
// (nearest block number, which on one track is nearest angle ahead or
// behind).
var diskMkosSched = map[string]string{"FIFO": "fifo", "SSTF": "sstf", "SATF": "sstf", "BSATF": "sstf"}

// diskMkosBlock maps disk.py's block b to mkos's: the same track (outer =
// mkos's cylinder 0) and the slot at or before its angle, 12 to a track.
func diskMkosBlock(lay diskLayout, b int64) int64 {
	t := lay.track[b]
	n := lay.end[t] - lay.begin[t] + 1
	return t*diskMkosPerTrack + (b-lay.begin[t])*diskMkosPerTrack/n
}

// diskMkosServed is one request as mkos's disk served it.
type diskMkosServed struct {
	index                 int // in the request list
	block, mkos           int64
	startNs, doneNs       int64
	seekNs, rotNs, xferNs int64
}

// diskOnMkos replays blocks (disk.py's request list) as one-block reads
// queued together at mkos's disk driver, with the scheduler nearest
// policy, on a booted system, and prints the order served (Req: the request's place in the list) and each read's
// seek, rotation and transfer in virtual time.
// Late requests (late of them) are not replayed: the note says so.
func diskOnMkos(lay diskLayout, blocks []int64, late int, policy string, out, errw io.Writer) int {
	sched, ok := diskMkosSched[policy]
	if !ok {
		fmt.Fprintf(out, "mkos (--mkos): policy %s has no counterpart in mkos's disk driver (fifo, sstf, clook)\n", policy)
		return 0
	}
	served, err := diskMkosRun(lay, blocks, sched)
	if err != nil {
		fmt.Fprintln(errw, "mkos ostep disk --mkos:", err)
		return 1
	}
	fmt.Fprintf(out, "mkos (--mkos): the same %d requests as one-block reads queued together at mkos's disk driver, scheduler %s (for -p %s), on its HDD model (drivers/disk/hw): 3 tracks of %d blocks of 64 KiB, 7200 rpm; disk.py's block b, slot i of the n on track t, is mkos block %d*t+%d*i/n (the same with the default zoning). A first read of block %d (not shown) leaves the head where disk.py's starts.\n",
		len(blocks), sched, policy, diskMkosPerTrack, diskMkosPerTrack, diskMkosPerTrack, diskMkosWarm)
	if late > 0 {
		fmt.Fprintf(out, "  The %d late requests (-l/-L) are not replayed.\n", late)
	}
	fmt.Fprintln(out, "  Order  Req Block(mkos)     Start(ms)  Seek(ms)  Rotate(ms)  Xfer(ms)  Total(ms)  Done(ms)")
	var seek, rot, xfer int64
	for i, s := range served {
		fmt.Fprintf(out, "  %5d %4d %5d(%4d) %12.3f %9.3f %11.3f %9.3f %10.3f %9.3f\n", i, s.index, s.block, s.mkos,
			ms(s.startNs), ms(s.seekNs), ms(s.rotNs), ms(s.xferNs), ms(s.seekNs+s.rotNs+s.xferNs), ms(s.doneNs))
		seek, rot, xfer = seek+s.seekNs, rot+s.rotNs, xfer+s.xferNs
	}
	fmt.Fprintf(out, "  TOTALS %35.3f %11.3f %9.3f %10.3f\n", ms(seek), ms(rot), ms(xfer), ms(seek+rot+xfer))
	fmt.Fprintln(out, "  How mkos's disk differs: time is nanoseconds of a 7200 rpm drive, not one unit per degree (-S and -R do not apply); a seek costs 1 ms to the next track and 8.5 ms across two, while the platter keeps turning; a read of the block right after the last one costs its transfer only (read-ahead); the driver's scheduler sees the whole queue (-w does not apply) and knows blocks, not angles.")
	return 0
}

func ms(ns int64) float64 { return float64(ns) / 1e6 }

// diskMkosRun boots a system with a three-track HDD under scheduler sched,
// reads the warm-up block, then queues one reader task per request, and
// returns the requests in the order the disk served them.
func diskMkosRun(lay diskLayout, blocks []int64, sched string) ([]diskMkosServed, error) {
	cfg := boot.Default()
	cfg.Workload.Clients = 0
	cfg.Disk = &boot.DiskConf{Size: boot.Size(diskMkosBlocks * diskMkosBlockBytes), BlockSize: diskMkosBlockBytes, Kind: "hdd", IOSched: sched}
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return nil, err
	}
	defer sys.Close()
	sys.Disk.Record(true)
	var failed error
	read := func(s ipc.Sys, b int64) {
		id, err := s.Lookup(diskproto.Name)
		if err == nil {
			c := diskproto.Client{Sys: s, Dst: ipc.ServiceEndpoint(id)}
			err = c.ReadBlocks(b, 1, make([]byte, diskMkosBlockBytes))
		}
		if err != nil && failed == nil {
			failed = fmt.Errorf("read of block %d: %w", b, err)
		}
	}
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "warm", Body: func(s ipc.Sys) { read(s, diskMkosWarm) }})
	for i := 0; i < len(blocks) && err == nil; i++ {
		b := diskMkosBlock(lay, blocks[i])
		_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: fmt.Sprintf("req%d", i), Body: func(s ipc.Sys) {
			if err := s.Sleep(diskMkosQueueNs); err != nil && failed == nil {
				failed = err
			}
			read(s, b)
		}})
	}
	if err == nil {
		_, err = sys.Run()
	}
	if err == nil {
		err = failed
	}
	if err != nil {
		return nil, err
	}
	var recs []diskMkosRecord
	for _, r := range sys.Disk.Records() {
		recs = append(recs, diskMkosRecord{block: r.Block, startNs: r.StartNs, seekNs: r.SeekNs, rotNs: r.RotationNs, xferNs: r.TransferNs})
	}
	return diskMkosMatch(lay, blocks, recs)
}

// diskMkosRecord is one read the disk started (hw.OpRecord's fields).
type diskMkosRecord struct {
	block, startNs, seekNs, rotNs, xferNs int64
}

// diskMkosMatch pairs the disk's records, after the warm-up read, with the
// requests: each record is the earliest unserved request for its block.
func diskMkosMatch(lay diskLayout, blocks []int64, recs []diskMkosRecord) ([]diskMkosServed, error) {
	if len(recs) != len(blocks)+1 {
		return nil, fmt.Errorf("the disk served %d reads, want %d", len(recs), len(blocks)+1)
	}
	taken := make([]bool, len(blocks))
	var served []diskMkosServed
	for _, r := range recs[1:] {
		i := 0
		for ; i < len(blocks) && (taken[i] || diskMkosBlock(lay, blocks[i]) != r.block); i++ {
		}
		if i == len(blocks) {
			return nil, fmt.Errorf("the disk read block %d, which no request asked for", r.block)
		}
		taken[i] = true
		served = append(served, diskMkosServed{index: i, block: blocks[i], mkos: r.block, startNs: r.startNs,
			doneNs: r.startNs + r.seekNs + r.rotNs + r.xferNs, seekNs: r.seekNs, rotNs: r.rotNs, xferNs: r.xferNs})
	}
	return served, nil
}
