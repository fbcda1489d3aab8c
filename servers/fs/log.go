package fs

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Layer 2: the log. Every change to a block, metadata or file data, is
// part of the running transaction; a transaction commits as a whole or not
// at all (layout.JournalHeader describes the four steps on the disk).
//
// LECTURE: journaling. An operation (a system call) runs between beginOp
// and endOp. It calls change(b) before it modifies block b; change puts b
// in the running transaction and, the first time in this operation, saves
// b's old contents so that abortOp can undo a failed operation: every
// operation happens completely or not at all, even in memory.
//
// Operations do not commit by themselves (group commit, as ext3 does):
// the transaction grows until fsync or sync asks for a commit, or until
// the next operation might not fit in the log. So a crash loses the
// operations since the last commit — never part of one, and never
// anything fsync acknowledged.
type journal struct {
	dev bdev.BlockDev
	sb  *layout.Superblock
	c   *cache
	seq uint64 // number of the last committed transaction

	txn []*buf // the running transaction, in the order first changed

	// The running operation.
	inOp bool
	undo map[*buf]undoEntry

	// commits counts commits; onCommit, when set, is called at each
	// commit point (the header is on the disk).
	commits  int64
	onCommit func()
	staging  []byte
}

// undoEntry is a block's state before the running operation changed it.
type undoEntry struct {
	data     []byte
	wasDirty bool
}

func newJournal(dev bdev.BlockDev, sb *layout.Superblock, c *cache, seq uint64) *journal {
	return &journal{dev: dev, sb: sb, c: c, seq: seq, undo: map[*buf]undoEntry{},
		staging: make([]byte, maxRun*layout.BlockSize)}
}

// beginOp starts an operation, first committing the running transaction
// if the operation might not fit in the log with it.
func (j *journal) beginOp() error {
	if len(j.txn)+j.sb.MaxOpBlocks() > j.sb.JournalCapacity() {
		if err := j.commit(); err != nil {
			return err
		}
	}
	j.inOp = true
	return nil
}

// change adds b to the running transaction. Call it before modifying b.
func (j *journal) change(b *buf) {
	if j.inOp {
		if _, saved := j.undo[b]; !saved {
			j.undo[b] = undoEntry{data: append([]byte(nil), b.data...), wasDirty: b.dirty}
		}
	}
	if !b.dirty {
		b.dirty = true
		j.txn = append(j.txn, b)
	}
}

// endOp ends an operation whose changes stay.
func (j *journal) endOp() {
	j.inOp = false
	clear(j.undo)
}

// abortOp ends an operation that failed: every block it changed gets its
// old contents back. A block that was clean before is dropped from the
// cache instead (it may have been taken without reading it, so its saved
// contents need not be the disk's); the next use reads it again.
func (j *journal) abortOp() {
	for b, u := range j.undo {
		if u.wasDirty {
			copy(b.data, u.data)
			continue
		}
		b.dirty = false
		j.c.drop(b)
	}
	j.txn = slices.DeleteFunc(j.txn, func(b *buf) bool { return !b.dirty })
	j.endOp()
}

// commit writes the running transaction to the log, commits it, installs
// it at home and empties the log. LECTURE: commit
func (j *journal) commit() error {
	if len(j.txn) == 0 {
		return nil
	}
	if len(j.txn) > j.sb.JournalCapacity() {
		// beginOp commits before an operation that might not fit, so this
		// is a bug: refuse rather than write past the log.
		return &ioError{fmt.Errorf("transaction of %d blocks in a log of %d", len(j.txn), j.sb.JournalCapacity())}
	}
	hdr := layout.JournalHeader{Seq: j.seq + 1}
	for _, b := range j.txn {
		hdr.Homes = append(hdr.Homes, b.no)
		hdr.DataCRC = layout.ChecksumUpdate(hdr.DataCRC, b.data)
	}
	// 1. the blocks to the log, behind the header
	if err := j.writeRuns(j.sb.JournalStart+1, j.txn, true); err != nil {
		return err
	}
	// 2. the header: the commit point
	if err := j.writeHeader(&hdr); err != nil {
		return err
	}
	j.seq++
	j.commits++
	if j.onCommit != nil {
		j.onCommit()
	}
	// 3. the blocks to their homes
	home := slices.Clone(j.txn)
	slices.SortFunc(home, func(a, b *buf) int { return int(a.no) - int(b.no) })
	if err := j.writeRuns(0, home, false); err != nil {
		return err
	}
	// 4. an empty header: the log is free again
	if err := j.writeHeader(&layout.JournalHeader{Seq: j.seq}); err != nil {
		return err
	}
	for _, b := range j.txn {
		b.dirty = false
	}
	j.txn = j.txn[:0]
	return nil
}

// writeHeader writes the journal header and flushes.
func (j *journal) writeHeader(h *layout.JournalHeader) error {
	b := j.staging[:layout.BlockSize]
	h.Encode(b)
	if err := j.dev.WriteBlocks(int64(j.sb.JournalStart), b); err != nil {
		return &ioError{err}
	}
	return j.flush()
}

// writeRuns writes bufs and flushes: to consecutive log blocks from start
// when toLog, else each to its home. Contiguous blocks go in one request.
func (j *journal) writeRuns(start uint32, bufs []*buf, toLog bool) error {
	at := func(i int) uint32 {
		if toLog {
			return start + uint32(i)
		}
		return bufs[i].no
	}
	for i := 0; i < len(bufs); {
		n := 1
		for i+n < len(bufs) && n < maxRun && at(i+n) == at(i)+uint32(n) {
			n++
		}
		data := j.staging[:n*layout.BlockSize]
		for k := 0; k < n; k++ {
			copy(data[k*layout.BlockSize:], bufs[i+k].data)
		}
		if err := j.dev.WriteBlocks(int64(at(i)), data); err != nil {
			return &ioError{err}
		}
		i += n
	}
	return j.flush()
}

func (j *journal) flush() error {
	if err := j.dev.Flush(); err != nil {
		return &ioError{err}
	}
	return nil
}
