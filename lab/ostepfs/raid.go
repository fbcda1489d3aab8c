package ostepfs

import (
	"fmt"
	"io"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/internal/raid"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// raidParser is raid.py's command line.
var raidParser = &optparse.Parser{Prog: "raid.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-D", Long: "--numDisks", Dest: "numDisks", Kind: optparse.IntKind, Default: "4", Help: "number of disks in RAID"},
	{Short: "-C", Long: "--chunkSize", Dest: "chunkSize", Default: "4k", Help: "chunk size of the RAID"},
	{Short: "-n", Long: "--numRequests", Dest: "numRequests", Kind: optparse.IntKind, Default: "10", Help: "number of requests to simulate"},
	{Short: "-S", Long: "--reqSize", Dest: "size", Default: "4k", Help: "size of requests"},
	{Short: "-W", Long: "--workload", Dest: "workload", Default: "rand", Help: `either "rand" or "seq" workloads`},
	{Short: "-w", Long: "--writeFrac", Dest: "writeFrac", Kind: optparse.IntKind, Default: "0", Help: "write fraction (100->all writes, 0->all reads)"},
	{Short: "-R", Long: "--randRange", Dest: "range", Kind: optparse.IntKind, Default: "10000", Help: `range of requests (when using "rand" workload)`},
	{Short: "-L", Long: "--level", Dest: "level", Kind: optparse.IntKind, Default: "0", Help: "RAID level (0, 1, 4, 5)"},
	{Short: "-5", Long: "--raid5", Dest: "raid5type", Default: "LS", Help: `RAID-5 left-symmetric "LS" or left-asym "LA"`},
	{Short: "-r", Long: "--reverse", Dest: "reverse", Kind: optparse.True, Default: "False", Help: "instead of showing logical ops, show physical"},
	{Short: "-t", Long: "--timing", Dest: "timing", Kind: optparse.True, Default: "False", Help: "use timing mode, instead of mapping mode"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// raidBlockBytes is raid.py's block size.
const raidBlockBytes = 4096

// Raid is file-raid/raid.py: random or sequential requests to a RAID 0,
// 1, 4 or 5, and the physical I/Os each costs (-c), the logical request
// behind physical I/Os (-r), or the time the array takes (-t). The
// mapping and the I/Os are internal/raid's; the timing is the script's
// simple disk.
func Raid(args []string, out, errw io.Writer) int {
	args, withMkos := cutFlag(args, "--mkos")
	v, status, done := osteptool.Parse(raidParser, args, out, errw)
	if done {
		return status
	}
	fmt.Fprintf(out, "ARG blockSize %d\n", raidBlockBytes)
	for _, o := range []string{"seed", "numDisks", "chunkSize", "numRequests", "reqSize", "workload", "writeFrac", "randRange", "level", "raid5", "reverse", "timing"} {
		fmt.Fprintf(out, "ARG %s %s\n", o, raidOption(v, o))
	}
	fmt.Fprintln(out)
	a, st, err := runRaid(v, out)
	if err != nil {
		return osteptool.Traceback(errw, "raid.py", err)
	}
	if withMkos && st == 0 {
		return raidOnMkos(a.lay, a.reqs, "hdd", out, errw)
	}
	return st
}

// raidOption is print()'s text of the option the script names o.
func raidOption(v *optparse.Values, o string) string {
	dest := map[string]string{"reqSize": "size", "randRange": "range", "raid5": "raid5type"}[o]
	if dest == "" {
		dest = o
	}
	switch dest {
	case "chunkSize", "size", "workload", "raid5type":
		return v.Str(dest)
	case "reverse", "timing":
		return osteptool.PyBool(v.Bool(dest))
	}
	return fmt.Sprint(v.Int(dest))
}

// raidArray is raid.py's raid object: a layout, the script's disks, and
// what to print.
type raidArray struct {
	out                    io.Writer
	lay                    raid.Layout
	disks                  []raidDisk
	timing, reverse, solve bool
	show                   bool      // the physical I/Os are printed
	reqs                   []raidReq // the logical requests, for --mkos
}

func runRaid(v *optparse.Values, out io.Writer) (*raidArray, int, error) {
	writeFrac := float64(v.Int("writeFrac")) / 100.0
	if !(writeFrac >= 0.0 && writeFrac <= 1.0) {
		return nil, 1, osteptool.PyError("AssertionError")
	}
	r := pyrand.New(v.Int("seed"))
	size, err := convert(v.Str("size"))
	if err != nil {
		return nil, 1, err
	}
	if floorMod(size, raidBlockBytes) != 0 {
		fmt.Fprintf(out, "error: request size (%d) must be a multiple of BLOCKSIZE (%d)\n", size, raidBlockBytes)
		return nil, 1, nil
	}
	size /= raidBlockBytes
	var seq bool
	switch v.Str("workload") {
	case "seq", "s", "sequential":
		seq = true
	case "rand", "r", "random":
	default:
		fmt.Fprintln(out, "error: workload must be either r/rand/random or s/seq/sequential")
		return nil, 1, nil
	}
	level, ndisks := v.Int("level"), v.Int("numDisks")
	if level != 0 && level != 1 && level != 4 && level != 5 {
		return nil, 1, osteptool.PyError("AssertionError")
	}
	if level != 0 && ndisks < 2 {
		fmt.Fprintln(out, "RAID-4 and RAID-5 need more than 1 disk")
		return nil, 1, nil
	}
	r5 := v.Str("raid5type")
	if level == 5 && r5 != "LA" && r5 != "LS" {
		fmt.Fprintf(out, "Only two types of RAID-5 supported: left-asymmetric (LA) and left-symmetric (LS) (%s is not)\n", r5)
		return nil, 1, nil
	}
	a, st, err := newRaidArray(v, out, raid.Layout{Level: raid.Level(level), Disks: int(ndisks), LeftAsymmetric: r5 == "LA"})
	if a == nil {
		return nil, st, err
	}
	off := int64(0)
	for i := int64(0); i < v.Int("numRequests"); i++ {
		blk := off
		if seq {
			off += size
		} else {
			blk = int64(r.Random() * float64(v.Int("range")))
		}
		write := r.Random() < writeFrac
		fmt.Fprintln(out, blk, size)
		if err := a.enqueue(blk, size, write); err != nil {
			return nil, 1, err
		}
	}
	a.finish(v.Bool("solve"))
	return a, 0, nil
}

// newRaidArray is raid.__init__: the chunk size and the disks' checks.
func newRaidArray(v *optparse.Values, out io.Writer, lay raid.Layout) (*raidArray, int, error) {
	chunk, err := convert(v.Str("chunkSize"))
	if err != nil {
		return nil, 1, err
	}
	lay.ChunkBlocks = chunk / raidBlockBytes
	if floorMod(chunk, raidBlockBytes) != 0 {
		fmt.Fprintf(out, "chunksize (%d) must be multiple of blocksize (%d): %d\n", chunk, raidBlockBytes, floorMod(lay.ChunkBlocks, raidBlockBytes))
		return nil, 1, nil
	}
	if lay.Level == raid.Level1 && floorMod(int64(lay.Disks), 2) != 0 {
		fmt.Fprintf(out, "raid1: disks (%d) must be a multiple of two\n", lay.Disks)
		return nil, 1, nil
	}
	a := &raidArray{out: out, lay: lay, timing: v.Bool("timing"), reverse: v.Bool("reverse"), solve: v.Bool("solve")}
	a.show = !a.timing && (v.Bool("solve") || a.reverse)
	a.disks = make([]raidDisk, max(lay.Disks, 0))
	for i := range a.disks {
		a.disks[i] = newRaidDisk()
	}
	return a, 0, nil
}

// enqueue is raid.enqueue: the logical request, then its physical I/Os.
func (a *raidArray) enqueue(blk, size int64, write bool) error {
	a.reqs = append(a.reqs, raidReq{blk, size, write})
	if !a.timing {
		switch {
		case a.reverse && !a.solve:
			fmt.Fprintln(a.out, "LOGICAL OPERATION is ?")
		case write:
			fmt.Fprintf(a.out, "LOGICAL WRITE to  addr:%d size:%d\n", blk, size*raidBlockBytes)
		default:
			fmt.Fprintf(a.out, "LOGICAL READ from addr:%d size:%d\n", blk, size*raidBlockBytes)
		}
		if !a.solve && !a.reverse {
			fmt.Fprint(a.out, "  Physical reads/writes?\n\n")
		}
	}
	if err := a.checkLayout(size); err != nil {
		return err
	}
	ios := a.lay.Plan(blk, size, write)
	for i, x := range ios {
		verb := "read "
		if x.Write {
			verb = "write"
		}
		a.print("  %s [disk %d, offset %d]  ", verb, x.Disk, x.Off)
		lastOfPhase := i == len(ios)-1 || ios[i+1].Phase != x.Phase
		if lastOfPhase && (write || a.lay.Level <= raid.Level1) {
			a.print("\n")
		}
		if x.Off >= raidDiskBlocks {
			return osteptool.PyError("AssertionError")
		}
		a.disks[x.Disk].enqueue(x.Off)
	}
	a.print("\n")
	return nil
}

// print prints the physical I/Os when the script shows them.
func (a *raidArray) print(format string, args ...any) {
	if a.show {
		fmt.Fprintf(a.out, format, args...)
	}
}

// checkLayout is the Python exception the script would raise mapping a
// request of size blocks on a layout it never checked.
func (a *raidArray) checkLayout(size int64) error {
	if size <= 0 {
		return nil
	}
	if a.lay.ChunkBlocks == 0 {
		return osteptool.PyError("ZeroDivisionError: division by zero")
	}
	if a.lay.Disks == 0 {
		return osteptool.PyError("ZeroDivisionError: integer modulo by zero")
	}
	if a.lay.Disks < 0 {
		return osteptool.PyError("IndexError: list index out of range")
	}
	return nil
}

// raidDiskBlocks is the size of raid.py's disks: 100 tracks of 100 blocks.
const (
	raidTrackBlocks = 100
	raidDiskBlocks  = 100 * raidTrackBlocks
)

// raidDisk is raid.py's disk: a request on the head's track, or within a
// track's length of it, costs 0.1 per block of distance; any other a seek
// of 10 plus 0.1.
type raidDisk struct {
	addr                    int64
	ios, seq, nearly, rand_ int
	busy                    float64
}

func newRaidDisk() raidDisk { return raidDisk{addr: -10000} }

func (d *raidDisk) enqueue(addr int64) {
	d.ios++
	diff := addr - d.addr
	if diff < 0 {
		diff = -diff
	}
	if d.addr/raidTrackBlocks == addr/raidTrackBlocks || diff < raidTrackBlocks {
		if diff == 1 {
			d.seq++
		} else {
			d.nearly++
		}
		d.busy += float64(diff) * 0.1
	} else {
		d.rand_++
		d.busy += 10 + 0.1
	}
	d.addr = addr
}

// finish is the end of the script: the timing mode's statistics.
func (a *raidArray) finish(solve bool) {
	t := 0.0
	for _, d := range a.disks {
		t = max(t, d.busy)
	}
	fmt.Fprintln(a.out)
	if !a.timing {
		return
	}
	if !solve {
		fmt.Fprint(a.out, "Estimate how long the workload should take to complete.\n- Roughly how many requests should each disk receive?\n- How many requests are random, how many sequential?\n\n")
		return
	}
	for i, d := range a.disks {
		util := 0.0
		if t > 0 {
			util = 100.0 * d.busy / t
		}
		pad := "  "
		switch {
		case d.busy == t:
			pad = " "
		case d.busy == 0:
			pad = "   "
		}
		fmt.Fprintf(a.out, "disk:%d  busy:%s%.2f  I/Os: %5d (sequential:%d nearly:%d random:%d)\n", i, pad, util, d.ios, d.seq, d.nearly, d.rand_)
	}
	total := "0"
	if a.anyIO() {
		total = osteptool.PyFloat(t) // repr and str agree for a float
	}
	fmt.Fprintf(a.out, "\nSTAT totalTime %s\n\n", total)
}

// anyIO reports whether the disks' busy times are floats in Python (an
// int 0 until a disk serves its first request).
func (a *raidArray) anyIO() bool {
	for _, d := range a.disks {
		if d.ios > 0 {
			return true
		}
	}
	return false
}
