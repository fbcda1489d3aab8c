package hw

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// The device's operations, the Op of an ipc.DevRequest. Arg[0] is the
// first block and Arg[1] the number of blocks; Buf is the data window,
// which the device reads (a write) or fills (a read) when the operation
// completes.
const (
	// OpRead reads Arg[1] blocks from block Arg[0] into Buf.
	OpRead uint16 = iota + 1
	// OpWrite writes Arg[1] blocks from Buf to block Arg[0]. The data
	// reaches the medium when the operation completes, not before: the
	// disk has no volatile write cache, so a completed write is durable
	// and a write in flight at a power cut is lost.
	OpWrite
	// OpIdentify fills Buf (IdentifySize bytes) with the geometry, as
	// ATA's IDENTIFY DEVICE does; DecodeIdentify reads it. It takes no
	// time.
	OpIdentify
)

// IdentifySize is the size of OpIdentify's answer.
const IdentifySize = 32

// The kinds of disk, by latency model.
const (
	KindHDD = "hdd"
	KindSSD = "ssd"
)

// Kinds lists the kinds of disk.
var Kinds = []string{KindHDD, KindSSD}

// Defaults and limits of Options.
const (
	DefaultName      = "disk0"
	DefaultBlockSize = 4096
	DefaultSizeBytes = 64 << 20
	MinBlockSize     = 512
	MaxBlockSize     = ipc.MaxBulk
	MaxSizeBytes     = 1 << 40
)

// Options configure a Disk. Zero fields take the defaults.
type Options struct {
	// Name is the device name drivers look it up by (DefaultName).
	Name string
	// Image is the host file that holds the blocks; it is created when it
	// does not exist. Empty keeps the blocks in memory.
	Image string
	// SizeBytes is the size of the disk: a whole number of blocks. Zero
	// takes an existing image's size, else DefaultSizeBytes; an existing
	// image of another size is an error.
	SizeBytes int64
	// BlockSize is a power of two from MinBlockSize to MaxBlockSize
	// (DefaultBlockSize).
	BlockSize int
	// Kind is KindHDD (default) or KindSSD.
	Kind string
	// HDD and SSD are the models' figures (DefaultHDD, DefaultSSD).
	HDD HDDParams
	SSD SSDParams
	// TornWrites makes a power cut tear a multi-block write in flight at
	// block granularity: the blocks already transferred reach the medium.
	// Without it the whole write is lost.
	TornWrites bool
}

// Timing is how long one operation takes, part by part.
type Timing struct {
	AccessNs   int64 // a flash disk's fixed cost per operation
	SeekNs     int64
	RotationNs int64
	TransferNs int64
	Cylinders  int64 // the distance the arm moved
}

// TotalNs is the operation's whole latency.
func (t Timing) TotalNs() int64 { return t.AccessNs + t.SeekNs + t.RotationNs + t.TransferNs }

// model is a latency model. plan returns the timing of an operation on
// count blocks from block started at virtual time now, and moves the
// model's state (the arm) to where the operation leaves it.
type model interface {
	plan(now int64, write bool, block int64, count int) Timing
	reset()
}

// Stats are the device's counters.
type Stats struct {
	Reads, Writes           int64 // operations completed
	BytesRead, BytesWritten int64
	Seeks                   int64 // operations that moved the arm
	SeekCylinders           int64 // the distance it moved, in total
	BusyNs                  int64 // virtual time spent on operations
	LostWrites              int64 // writes in flight at a power cut
	TornBlocks              int64 // blocks of those that reached the medium
}

// Geometry is what OpIdentify reports.
type Geometry struct {
	BlockSize int
	Blocks    int64
	Kind      string
}

// Disk is the simulated disk. It serves one operation at a time, and is
// called by the kernel only (and by tests, for the power switch), never
// concurrently.
type Disk struct {
	name  string
	image string
	geo   Geometry
	torn  bool
	store store
	model model

	// The operation in flight and the power.
	on     bool
	busy   bool
	op     ipc.DevRequest
	xferAt int64 // when its transfer starts
	doneAt int64
	lost   bool // the power was cut under it

	stats Stats

	// The operations started, when recording (record.go).
	recording bool
	records   []OpRecord
}

// Open returns a powered-on disk as o says.
func Open(o Options) (*Disk, error) {
	o = o.withDefaults()
	if err := o.check(); err != nil {
		return nil, err
	}
	var st store = newMemStore(o.BlockSize)
	size := o.SizeBytes
	if o.Image == "" && size == 0 {
		size = DefaultSizeBytes
	}
	if o.Image != "" {
		fs, n, err := openFileStore(o.Image, o.SizeBytes, DefaultSizeBytes)
		if err != nil {
			return nil, fmt.Errorf("disk %s: %w", o.Name, err)
		}
		st, size = fs, n
	}
	if size <= 0 || size > MaxSizeBytes || size%int64(o.BlockSize) != 0 {
		st.close()
		return nil, fmt.Errorf("disk %s: size %d is not a whole number of %d-byte blocks up to %d bytes", o.Name, size, o.BlockSize, int64(MaxSizeBytes))
	}
	d := &Disk{name: o.Name, image: o.Image, torn: o.TornWrites, store: st, on: true,
		geo: Geometry{BlockSize: o.BlockSize, Blocks: size / int64(o.BlockSize), Kind: o.Kind}}
	d.model = &ssd{p: o.SSD, blockSize: int64(o.BlockSize)}
	if o.Kind == KindHDD {
		d.model = newHDD(o.HDD, o.BlockSize, d.geo.Blocks)
	}
	return d, nil
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.BlockSize == 0 {
		o.BlockSize = DefaultBlockSize
	}
	if o.Kind == "" {
		o.Kind = KindHDD
	}
	if o.HDD == (HDDParams{}) {
		o.HDD = DefaultHDD
	}
	if o.SSD == (SSDParams{}) {
		o.SSD = DefaultSSD
	}
	return o
}

func (o Options) check() error {
	bs := o.BlockSize
	switch {
	case bs < MinBlockSize || bs > MaxBlockSize || bs&(bs-1) != 0:
		return fmt.Errorf("disk %s: block size %d is not a power of two from %d to %d", o.Name, bs, MinBlockSize, MaxBlockSize)
	case !slices.Contains(Kinds, o.Kind):
		return fmt.Errorf("disk %s: kind %q is not one of %v", o.Name, o.Kind, Kinds)
	case o.SizeBytes < 0:
		return fmt.Errorf("disk %s: size %d is negative", o.Name, o.SizeBytes)
	case o.HDD.RPM <= 0 || o.HDD.TrackToTrackNs < 0 || o.HDD.AvgSeekNs < o.HDD.TrackToTrackNs || o.HDD.MediaBytesPerSec <= 0:
		return fmt.Errorf("disk %s: HDD figures %+v are not a disk", o.Name, o.HDD)
	case o.SSD.ReadNs < 0 || o.SSD.WriteNs < 0 || o.SSD.BusBytesPerSec <= 0:
		return fmt.Errorf("disk %s: SSD figures %+v are not a disk", o.Name, o.SSD)
	}
	return nil
}

// Close writes the image back to the host and closes it. The disk must
// not be used after.
func (d *Disk) Close() error { return d.store.close() }

// Name is the device name.
func (d *Disk) Name() string { return d.name }

// Image is the host file behind the disk, empty for memory.
func (d *Disk) Image() string { return d.image }

// Geometry returns the block size, the number of blocks and the kind.
func (d *Disk) Geometry() Geometry { return d.geo }

// Stats returns the counters.
func (d *Disk) Stats() Stats { return d.stats }

// Start begins req at virtual time now and returns when it completes. The
// model's time is charged here; the data moves in Finish.
func (d *Disk) Start(now int64, req *ipc.DevRequest) (int64, ipc.Errno) {
	if !d.on {
		return 0, linux.EIO
	}
	if d.busy {
		return 0, linux.EBUSY
	}
	var t Timing
	switch req.Op {
	case OpIdentify:
		if len(req.Buf) < IdentifySize {
			return 0, linux.EINVAL
		}
	case OpRead, OpWrite:
		if _, e := d.span(req); e != 0 {
			return 0, e
		}
		t = d.model.plan(now, req.Op == OpWrite, req.Arg[0], int(req.Arg[1]))
		d.stats.BusyNs += t.TotalNs()
		d.record(now, req, t)
		if t.Cylinders > 0 {
			d.stats.Seeks++
			d.stats.SeekCylinders += t.Cylinders
		}
	default:
		return 0, linux.EINVAL
	}
	d.busy, d.op, d.lost = true, *req, false
	d.doneAt = now + t.TotalNs()
	d.xferAt = d.doneAt - t.TransferNs
	return d.doneAt, 0
}

// span checks a read or write and returns its length in bytes.
func (d *Disk) span(req *ipc.DevRequest) (int, ipc.Errno) {
	block, count := req.Arg[0], req.Arg[1]
	if block < 0 || count < 1 || block >= d.geo.Blocks || count > d.geo.Blocks-block {
		return 0, linux.EINVAL
	}
	n := int(count) * d.geo.BlockSize
	if len(req.Buf) < n {
		return 0, linux.EINVAL
	}
	return n, 0
}

// Finish completes req at virtual time now: a read fills req.Buf from the
// medium, a write puts req.Buf on it. An operation the power was cut under
// fails with EIO and moves nothing.
func (d *Disk) Finish(now int64, req *ipc.DevRequest) ipc.DevCompletion {
	if !d.busy {
		return ipc.DevCompletion{Errno: linux.EINVAL}
	}
	d.busy = false
	if d.lost || !d.on {
		return ipc.DevCompletion{Errno: linux.EIO}
	}
	if req.Op == OpIdentify {
		d.encodeIdentify(req.Buf)
		return ipc.DevCompletion{N: IdentifySize}
	}
	n, _ := d.span(req)
	off := req.Arg[0] * int64(d.geo.BlockSize)
	var err error
	if req.Op == OpWrite {
		err = d.store.writeAt(req.Buf[:n], off)
		d.stats.Writes++
		d.stats.BytesWritten += int64(n)
	} else {
		err = d.store.readAt(req.Buf[:n], off)
		d.stats.Reads++
		d.stats.BytesRead += int64(n)
	}
	if err != nil {
		return ipc.DevCompletion{Errno: linux.EIO}
	}
	return ipc.DevCompletion{N: n}
}

// PowerCut cuts the power at virtual time now. The operation in flight
// fails with EIO when it completes. If it is a write, it is lost: all of
// it, or, with TornWrites, all but the blocks whose transfer had ended by
// now, which are on the medium. Completed writes are on the medium. Until
// PowerOn, every operation fails with EIO.
func (d *Disk) PowerCut(now int64) {
	d.on = false
	if !d.busy || d.lost {
		return
	}
	d.lost = true
	if d.op.Op != OpWrite {
		return
	}
	d.stats.LostWrites++
	if n := d.tornBlocks(now); n > 0 {
		_ = d.store.writeAt(d.op.Buf[:n*int64(d.geo.BlockSize)], d.op.Arg[0]*int64(d.geo.BlockSize))
		d.stats.TornBlocks += n
	}
}

// tornBlocks is how many blocks of the write in flight had been
// transferred at time now, when writes tear.
func (d *Disk) tornBlocks(now int64) int64 {
	count := d.op.Arg[1]
	if !d.torn || now <= d.xferAt {
		return 0
	}
	perBlock := (d.doneAt - d.xferAt) / count
	if perBlock == 0 {
		return count
	}
	return min((now-d.xferAt)/perBlock, count)
}

// PowerOn restores the power; the arm starts from cylinder 0.
func (d *Disk) PowerOn() {
	d.on = true
	d.model.reset()
}

// Powered reports whether the disk has power.
func (d *Disk) Powered() bool { return d.on }

// ReadBlocks reads len(buf)/BlockSize blocks from block into buf at once,
// with no latency and no counting: for tools and tests that look at the
// medium while no kernel drives the disk.
func (d *Disk) ReadBlocks(block int64, buf []byte) error {
	if err := d.offline(block, buf); err != nil {
		return err
	}
	return d.store.readAt(buf, block*int64(d.geo.BlockSize))
}

// WriteBlocks writes buf to the blocks from block at once, like
// ReadBlocks.
func (d *Disk) WriteBlocks(block int64, buf []byte) error {
	if err := d.offline(block, buf); err != nil {
		return err
	}
	return d.store.writeAt(buf, block*int64(d.geo.BlockSize))
}

// BlockSize, Blocks and Flush, with ReadBlocks and WriteBlocks, make the
// disk a block device for the offline tools (mkfs, fsck, cp) and for tests,
// without its driver: the shape of servers/fs/bdev.BlockDev, which a
// driver's package may not import.
func (d *Disk) BlockSize() int { return d.geo.BlockSize }

// Blocks returns the number of blocks.
func (d *Disk) Blocks() int64 { return d.geo.Blocks }

// Flush does nothing: direct writes reach the medium at once.
func (d *Disk) Flush() error { return nil }

func (d *Disk) offline(block int64, buf []byte) error {
	bs := int64(d.geo.BlockSize)
	n := int64(len(buf)) / bs
	if int64(len(buf))%bs != 0 || block < 0 || block > d.geo.Blocks || n > d.geo.Blocks-block {
		return fmt.Errorf("disk %s: %d bytes at block %d: not whole blocks inside the %d-block disk", d.name, len(buf), block, d.geo.Blocks)
	}
	return nil
}

// encodeIdentify writes the geometry: the block size and the number of
// blocks as little-endian 64-bit words, then the kind, NUL-padded.
func (d *Disk) encodeIdentify(b []byte) {
	b = b[:IdentifySize]
	clear(b)
	binary.LittleEndian.PutUint64(b, uint64(d.geo.BlockSize))
	binary.LittleEndian.PutUint64(b[8:], uint64(d.geo.Blocks))
	copy(b[16:], d.geo.Kind)
}

// DecodeIdentify reads OpIdentify's answer.
func DecodeIdentify(b []byte) Geometry {
	if len(b) < IdentifySize {
		return Geometry{}
	}
	kind := b[16:IdentifySize]
	n := 0
	for n < len(kind) && kind[n] != 0 {
		n++
	}
	return Geometry{BlockSize: int(binary.LittleEndian.Uint64(b)), Blocks: int64(binary.LittleEndian.Uint64(b[8:])), Kind: string(kind[:n])}
}
