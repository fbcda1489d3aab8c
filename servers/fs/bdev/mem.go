package bdev

import (
	"maps"

	"github.com/mkos/mkos/ipc/linux"
)

// Mem is a block device in memory that loses power like a real disk.
//
// A write goes to the disk's volatile cache (Pending) and is visible to
// reads at once; Flush moves the cache to the medium. Crash returns the
// disk as it would come back after a power cut: the medium, plus whichever
// of the pending writes the caller says reached it, in order — all, none,
// or any subset (a disk may reorder its cache). Blocks are counted one by
// one, so a multi-block write can be torn at block granularity.
//
// Mem is sparse: blocks never written read as zeros and take no memory.
// Written blocks are never changed in place, so Crash and Clone share
// them.
type Mem struct {
	bs      int
	n       int64
	durable map[int64][]byte // on the medium
	view    map[int64][]byte // what a read sees: durable with pending applied
	pending []Write          // in the volatile cache, oldest first

	// Writes counts block writes, Flushes flushes, since the device was
	// made.
	Writes, Flushes int64
	// CutAt, when positive, cuts the power after that many block writes:
	// every later request fails with EIO, as on a machine that is off.
	CutAt int64
	dead  bool
}

// Write is one block write in the volatile cache.
type Write struct {
	Block int64
	Data  []byte
}

// NewMem returns a zeroed device of blocks blocks of bs bytes.
func NewMem(bs int, blocks int64) *Mem {
	return &Mem{bs: bs, n: blocks, durable: map[int64][]byte{}, view: map[int64][]byte{}}
}

// BlockSize returns the block size.
func (m *Mem) BlockSize() int { return m.bs }

// Blocks returns the number of blocks.
func (m *Mem) Blocks() int64 { return m.n }

// Dead reports whether the power was cut (CutAt was reached).
func (m *Mem) Dead() bool { return m.dead }

// ReadBlocks reads whole blocks; unwritten blocks read as zeros.
func (m *Mem) ReadBlocks(block int64, buf []byte) error {
	if m.dead {
		return linux.EIO
	}
	if err := check(m.bs, m.n, block, buf); err != nil {
		return err
	}
	for i := 0; i < len(buf)/m.bs; i++ {
		dst := buf[i*m.bs : (i+1)*m.bs]
		if b, ok := m.view[block+int64(i)]; ok {
			copy(dst, b)
		} else {
			clear(dst)
		}
	}
	return nil
}

// WriteBlocks writes whole blocks into the volatile cache. When the power
// is cut midway, the blocks before the cut are written and the rest are
// not.
func (m *Mem) WriteBlocks(block int64, buf []byte) error {
	if m.dead {
		return linux.EIO
	}
	if err := check(m.bs, m.n, block, buf); err != nil {
		return err
	}
	for i := 0; i < len(buf)/m.bs; i++ {
		if m.CutAt > 0 && m.Writes >= m.CutAt {
			m.dead = true
			return linux.EIO
		}
		data := append([]byte(nil), buf[i*m.bs:(i+1)*m.bs]...)
		m.pending = append(m.pending, Write{Block: block + int64(i), Data: data})
		m.view[block+int64(i)] = data
		m.Writes++
	}
	return nil
}

// Flush moves the volatile cache to the medium.
func (m *Mem) Flush() error {
	if m.dead {
		return linux.EIO
	}
	for _, w := range m.pending {
		m.durable[w.Block] = w.Data
	}
	m.pending = m.pending[:0]
	m.Flushes++
	return nil
}

// Pending returns the writes in the volatile cache, oldest first.
func (m *Mem) Pending() []Write { return m.pending }

// Crash returns the device as it comes back after a power cut: the medium,
// plus the pending writes for which keep returns true, applied in order.
// keep may be nil: no pending write survives. The new device has power and
// zeroed counters; m is unchanged.
func (m *Mem) Crash(keep func(i int, w Write) bool) *Mem {
	c := &Mem{bs: m.bs, n: m.n, durable: maps.Clone(m.durable)}
	for i, w := range m.pending {
		if keep != nil && keep(i, w) {
			c.durable[w.Block] = w.Data
		}
	}
	c.view = maps.Clone(c.durable)
	return c
}

// Clone returns a copy of the device with its cache, medium and counters;
// CutAt and a cut power are not copied.
func (m *Mem) Clone() *Mem {
	c := &Mem{bs: m.bs, n: m.n, durable: maps.Clone(m.durable), view: maps.Clone(m.view),
		pending: append([]Write(nil), m.pending...), Writes: m.Writes, Flushes: m.Flushes}
	return c
}

// KeepAll is a Crash policy: every pending write reached the medium (the
// machine stayed up; only the software died).
func KeepAll(int, Write) bool { return true }
