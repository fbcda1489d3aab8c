package fs

import (
	"container/list"
	"fmt"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Layer 1: blocks. The block cache keeps recently used blocks in memory
// and reads misses from the device, several contiguous blocks per request
// when it can. A block changed by the running transaction is dirty: it
// stays in the cache (pinned) until the journal has installed it at home,
// because the cache is the only place its new contents exist.

// buf is one cached block.
type buf struct {
	no    uint32
	data  []byte
	dirty bool          // in the running transaction: not evictable
	elem  *list.Element // in cache.lru
}

// cache is the block cache. Eviction happens only between operations
// (trim), so a *buf stays valid for the whole operation that got it.
type cache struct {
	dev  bdev.BlockDev
	bufs map[uint32]*buf
	lru  *list.List // front: most recently used
	max  int        // clean blocks kept after trim
	// Reads and ReadBlocks count device read requests and blocks read.
	reads, readBlocks int64
	scratch           []byte
}

// maxRun is the most blocks one device request moves: one bulk window.
const maxRun = 16

func newCache(dev bdev.BlockDev, maxBlocks int) *cache {
	return &cache{dev: dev, bufs: map[uint32]*buf{}, lru: list.New(), max: max(maxBlocks, 64),
		scratch: make([]byte, maxRun*layout.BlockSize)}
}

// ioError is a failed device request: the file system cannot go on
// without remounting. It reads as EIO.
type ioError struct{ err error }

func (e *ioError) Error() string { return fmt.Sprintf("disk I/O error: %v", e.err) }
func (e *ioError) Unwrap() error { return linux.EIO }

// get returns block no, reading it on a miss.
func (c *cache) get(no uint32) (*buf, error) {
	if b := c.bufs[no]; b != nil {
		c.lru.MoveToFront(b.elem)
		return b, nil
	}
	if err := c.fill(no, 1); err != nil {
		return nil, err
	}
	return c.bufs[no], nil
}

// getNoRead returns block no without reading it on a miss: for a caller
// that overwrites the whole block. The contents of a new buf are zeros.
func (c *cache) getNoRead(no uint32) *buf {
	if b := c.bufs[no]; b != nil {
		c.lru.MoveToFront(b.elem)
		return b
	}
	return c.insert(no, make([]byte, layout.BlockSize))
}

func (c *cache) insert(no uint32, data []byte) *buf {
	b := &buf{no: no, data: data}
	b.elem = c.lru.PushFront(b)
	c.bufs[no] = b
	return b
}

// fill reads n blocks from start into the cache with one device request;
// blocks already cached keep their cached contents.
func (c *cache) fill(start uint32, n int) error {
	data := c.scratch[:n*layout.BlockSize]
	if err := c.dev.ReadBlocks(int64(start), data); err != nil {
		return &ioError{err}
	}
	c.reads++
	c.readBlocks += int64(n)
	for i := 0; i < n; i++ {
		if c.bufs[start+uint32(i)] == nil {
			c.insert(start+uint32(i), append([]byte(nil), data[i*layout.BlockSize:(i+1)*layout.BlockSize]...))
		}
	}
	return nil
}

// prefetch reads the blocks of nos that are not cached, one request per
// run of contiguous missing blocks (up to maxRun). Zero entries (holes)
// are skipped.
func (c *cache) prefetch(nos []uint32) error {
	for i := 0; i < len(nos); {
		if nos[i] == 0 || c.bufs[nos[i]] != nil {
			i++
			continue
		}
		j := i + 1
		for j < len(nos) && j-i < maxRun && nos[j] == nos[j-1]+1 && c.bufs[nos[j]] == nil {
			j++
		}
		if err := c.fill(nos[i], j-i); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// prefetchRange reads blocks [start, start+n) that are not cached.
func (c *cache) prefetchRange(start uint32, n int) error {
	nos := make([]uint32, n)
	for i := range nos {
		nos[i] = start + uint32(i)
	}
	return c.prefetch(nos)
}

// drop removes b from the cache.
func (c *cache) drop(b *buf) {
	if c.bufs[b.no] == b {
		c.lru.Remove(b.elem)
		delete(c.bufs, b.no)
	}
}

// trim evicts the least recently used clean blocks beyond max.
func (c *cache) trim() {
	for e := c.lru.Back(); e != nil && len(c.bufs) > c.max; {
		b := e.Value.(*buf)
		prev := e.Prev()
		if !b.dirty {
			c.lru.Remove(e)
			delete(c.bufs, b.no)
		}
		e = prev
	}
}

// readThrough is the cache as a read-only BlockDev, for the consistency
// check at mount: what it reads stays cached for the mount's own use.
type readThrough struct{ c *cache }

func (r readThrough) BlockSize() int { return layout.BlockSize }
func (r readThrough) Blocks() int64  { return r.c.dev.Blocks() }
func (r readThrough) Flush() error   { return nil }

func (r readThrough) WriteBlocks(int64, []byte) error { return linux.EROFS }

func (r readThrough) ReadBlocks(block int64, p []byte) error {
	n := len(p) / layout.BlockSize
	if err := r.c.prefetchRange(uint32(block), n); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		b, err := r.c.get(uint32(block) + uint32(i))
		if err != nil {
			return err
		}
		copy(p[i*layout.BlockSize:], b.data)
	}
	r.c.trim() // nothing is dirty or held during the check
	return nil
}
