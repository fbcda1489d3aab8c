package disk

import (
	"fmt"
	"sort"

	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/internal/raid"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
)

// array is the driver's software RAID (Options.Members): one logical disk
// striped over several simulated disks by internal/raid's layout — the
// same mapping `mkos ostep raid` prints. A request becomes operations on
// the members, in phases: the operations of a phase run on their disks at
// the same time, one at a time per disk, contiguous blocks as one
// operation; a RAID 4/5 write reads what its new parity needs before it
// writes the data and the parity. There is no degraded mode: a member's
// error fails the request. LECTURE: raid-driver
type array struct {
	lay   raid.Layout
	names []string
	devs  []ipc.DevID
	geos  []hw.Geometry
	ex    *arrayExec // the request on the members, or nil
}

// arrayRun is one operation on one member: count blocks from off, each
// holding a logical block (-1: parity).
type arrayRun struct {
	disk     int
	off      int64
	write    bool
	identify bool
	blocks   []int64
	buf      []byte
	tag      uint64
}

// arrayExec is a request in progress on the members.
type arrayExec struct {
	r        *Request
	phases   [][][]*arrayRun // phase, disk, runs in order
	phase    int
	next     []int // per disk: the next run of the phase
	inflight map[uint64]*arrayRun
	scratch  map[[2]int64][]byte // blocks read, by (disk, offset)
	written  map[[2]int64]int64  // the logical block written at (disk, offset)
	errno    ipc.Errno
}

func newArray(o Options) (*array, error) {
	lay := o.Raid
	lay.Disks = len(o.Members)
	if lay.ChunkBlocks == 0 {
		lay.ChunkBlocks = 1
	}
	if err := lay.Check(); err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	return &array{lay: lay, names: o.Members, devs: make([]ipc.DevID, len(o.Members)), geos: make([]hw.Geometry, len(o.Members))}, nil
}

// open looks the members up and drops their old completions.
func (a *array) open(ctx *ipc.Ctx) error {
	for i, name := range a.names {
		id, err := ctx.Sys.Device(name)
		if err != nil {
			return err
		}
		for _, ok := ctx.Sys.DevDone(id); ok; _, ok = ctx.Sys.DevDone(id) {
		}
		a.devs[i] = id
	}
	return nil
}

// geometry is the logical disk: the members' block size, and as many
// stripes as the smallest member holds.
func (a *array) geometry() (hw.Geometry, ipc.Errno) {
	g := a.geos[0]
	per := g.Blocks
	for _, m := range a.geos {
		if m.BlockSize != g.BlockSize || m.Blocks <= 0 {
			return hw.Geometry{}, linux.EIO
		}
		per = min(per, m.Blocks)
	}
	g.Blocks = a.lay.LogicalBlocks(per)
	if g.Blocks <= 0 {
		return hw.Geometry{}, linux.EIO
	}
	return g, 0
}

// start starts r on the members: the probe identifies every member; a
// read or write runs its plan.
func (a *array) start(ctx *ipc.Ctx, d *Driver, r *Request) ipc.Errno {
	ex := &arrayExec{r: r, next: make([]int, a.lay.Disks), inflight: map[uint64]*arrayRun{},
		scratch: map[[2]int64][]byte{}, written: map[[2]int64]int64{}}
	if r.Op == probe {
		phase := make([][]*arrayRun, a.lay.Disks)
		for i := range phase {
			phase[i] = []*arrayRun{{disk: i, identify: true, buf: make([]byte, hw.IdentifySize)}}
		}
		ex.phases = [][][]*arrayRun{phase}
	} else {
		if r.Op == diskproto.Write {
			if e := d.copy(ctx.Sys.CopyIn, r.Caller, d.buf[:r.Count*d.geo.BlockSize]); e != 0 {
				return e
			}
		}
		ex.phases = a.runs(a.lay.Plan(r.Block, int64(r.Count), r.Op == diskproto.Write), ex.written, d.geo.BlockSize)
	}
	a.ex = ex
	a.issue(ctx, d)
	return 0
}

// runs groups a plan into phases of runs per disk. RAID 0 and 1 have no
// order between their operations: one phase.
func (a *array) runs(plan []raid.IO, written map[[2]int64]int64, bs int) [][][]*arrayRun {
	var phases [][][]*arrayRun
	for _, io := range plan {
		ph := io.Phase
		if a.lay.Level <= raid.Level1 {
			ph = 0
		}
		for len(phases) <= ph {
			phases = append(phases, make([][]*arrayRun, a.lay.Disks))
		}
		if io.Write && io.Block >= 0 {
			written[[2]int64{int64(io.Disk), io.Off}] = io.Block
		}
		phases[ph][io.Disk] = append(phases[ph][io.Disk], &arrayRun{disk: io.Disk, off: io.Off, write: io.Write, blocks: []int64{io.Block}})
	}
	for _, ph := range phases {
		for d, rs := range ph {
			sort.SliceStable(rs, func(i, j int) bool { return rs[i].off < rs[j].off })
			var merged []*arrayRun
			for _, r := range rs {
				if n := len(merged); n > 0 && merged[n-1].write == r.write && merged[n-1].off+int64(len(merged[n-1].blocks)) == r.off {
					merged[n-1].blocks = append(merged[n-1].blocks, r.blocks...)
					continue
				}
				merged = append(merged, r)
			}
			for _, r := range merged {
				r.buf = make([]byte, len(r.blocks)*bs)
			}
			ph[d] = merged
		}
	}
	return phases
}

// issue starts the next run on every idle member, moving to the next
// phase when one is over, and finishes the request when all are. A
// member still busy with a dead instance's operation (EBUSY) is tried
// again when that operation's interrupt comes.
func (a *array) issue(ctx *ipc.Ctx, d *Driver) {
	ex := a.ex
	blocked := false
	for ex.errno == 0 && ex.phase < len(ex.phases) {
		for disk, rs := range ex.phases[ex.phase] {
			if ex.busy(disk) || ex.next[disk] >= len(rs) {
				continue
			}
			switch e := a.startRun(ctx, d, rs[ex.next[disk]]); e {
			case 0:
				ex.next[disk]++
			case linux.EBUSY:
				blocked = true
			default:
				ex.errno = e
			}
			if ex.errno != 0 {
				break
			}
		}
		if len(ex.inflight) > 0 || blocked || ex.errno != 0 {
			break
		}
		ex.phase++
		clear(ex.next)
	}
	if len(ex.inflight) == 0 && (!blocked || ex.errno != 0) {
		a.finish(ctx, d)
	}
}

// busy reports whether a run is on member disk.
func (ex *arrayExec) busy(disk int) bool {
	for _, r := range ex.inflight {
		if r.disk == disk {
			return true
		}
	}
	return false
}

// startRun starts r on its member; a write's blocks are gathered first.
func (a *array) startRun(ctx *ipc.Ctx, d *Driver, r *arrayRun) ipc.Errno {
	dr := ipc.DevRequest{Op: hw.OpIdentify, Buf: r.buf}
	if !r.identify {
		dr = ipc.DevRequest{Op: hw.OpRead, Arg: [4]int64{r.off, int64(len(r.blocks))}, Buf: r.buf}
		if r.write {
			dr.Op = hw.OpWrite
			if e := a.gather(d, r); e != 0 {
				return e
			}
		}
	}
	d.tag++
	dr.Tag, r.tag = d.tag, d.tag
	if err := ctx.Sys.DevStart(a.devs[r.disk], &dr); err != nil {
		return ipc.ErrnoOf(err)
	}
	a.ex.inflight[r.tag] = r
	return 0
}

// gather fills a write run's buffer: data from the caller's, parity from
// the blocks of its row.
func (a *array) gather(d *Driver, r *arrayRun) ipc.Errno {
	bs := d.geo.BlockSize
	for i, b := range r.blocks {
		dst := r.buf[i*bs : (i+1)*bs]
		if b >= 0 {
			copy(dst, a.newData(d, b))
			continue
		}
		if e := a.parity(d, r.disk, r.off+int64(i), dst); e != 0 {
			return e
		}
	}
	return 0
}

// newData is logical block b of the write being served.
func (a *array) newData(d *Driver, b int64) []byte {
	bs := d.geo.BlockSize
	i := int(b-a.ex.r.Block) * bs
	return d.buf[i : i+bs]
}

// parity computes the new parity at offset off of disk pdisk: from the
// old parity and the old and new data of the blocks written (when the
// old parity was read), else from every data block of the row.
// LECTURE: raid-parity
func (a *array) parity(d *Driver, pdisk int, off int64, dst []byte) ipc.Errno {
	ex := a.ex
	clear(dst)
	if old, ok := ex.scratch[[2]int64{int64(pdisk), off}]; ok {
		xor(dst, old)
		for k, b := range ex.written {
			if k[1] != off {
				continue
			}
			xor(dst, ex.scratch[k])
			xor(dst, a.newData(d, b))
		}
		return 0
	}
	for disk := 0; disk < a.lay.Disks; disk++ {
		k := [2]int64{int64(disk), off}
		switch b, ok := ex.written[k]; {
		case disk == pdisk:
		case ok:
			xor(dst, a.newData(d, b))
		case ex.scratch[k] != nil:
			xor(dst, ex.scratch[k])
		default:
			return linux.EIO // the plan read no such block: cannot happen
		}
	}
	return 0
}

func xor(dst, src []byte) {
	for i := range dst {
		dst[i] ^= src[i]
	}
}

// completions takes the members' completions: a read's blocks go to the
// caller's data or to the scratch blocks parity needs.
func (a *array) completions(ctx *ipc.Ctx, d *Driver) {
	for _, dev := range a.devs {
		for c, ok := ctx.Sys.DevDone(dev); ok; c, ok = ctx.Sys.DevDone(dev) {
			if a.ex == nil {
				continue // a dead instance's operation
			}
			r, mine := a.ex.inflight[c.Tag]
			if !mine {
				continue
			}
			delete(a.ex.inflight, c.Tag)
			if c.Errno != 0 {
				a.ex.errno = c.Errno
				continue
			}
			a.scatter(d, r)
		}
	}
	if a.ex != nil {
		a.issue(ctx, d)
	}
}

// scatter files the blocks a run read.
func (a *array) scatter(d *Driver, r *arrayRun) {
	if r.identify {
		a.geos[r.disk] = hw.DecodeIdentify(r.buf)
		return
	}
	if r.write {
		return
	}
	bs := d.geo.BlockSize
	for i, b := range r.blocks {
		blk := r.buf[i*bs : (i+1)*bs]
		a.ex.scratch[[2]int64{int64(r.disk), r.off + int64(i)}] = blk
		if b >= 0 && a.ex.r.Op == diskproto.Read {
			copy(a.newData(d, b), blk)
		}
	}
}

// finish ends the request once nothing of it is on the members.
func (a *array) finish(ctx *ipc.Ctx, d *Driver) {
	ex := a.ex
	a.ex, d.cur = nil, nil
	e := ex.errno
	if ex.r.Op == probe {
		var g hw.Geometry
		if e == 0 {
			g, e = a.geometry()
		}
		d.admitEarly(ctx, g, e)
		return
	}
	if e == 0 && ex.r.Op == diskproto.Read {
		e = d.copy(ctx.Sys.CopyOut, ex.r.Caller, d.buf[:ex.r.Count*d.geo.BlockSize])
	}
	d.done(ctx, ex.r, e)
}
