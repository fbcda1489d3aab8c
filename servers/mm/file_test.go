package mm_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
)

// ramFS is a file server over byte slices, speaking the part of fsproto
// mm uses. Descriptors are per caller, as the real one's: a descriptor
// used by another task is EBADF. restart makes every descriptor stale.
type ramFS struct {
	files map[string]*ramFile
	fds   map[fsproto.FD]ramFD
	next  int
	epoch uint32
	opens int
}

type ramFile struct {
	ino  uint64
	data []byte
}

type ramFD struct {
	f      *ramFile
	caller ipc.Endpoint
	write  bool
}

func newRAMFS(files map[string][]byte) *ramFS {
	fs := &ramFS{files: map[string]*ramFile{}, fds: map[fsproto.FD]ramFD{}, epoch: 1}
	for path, data := range files {
		fs.files[path] = &ramFile{ino: uint64(len(fs.files) + 2), data: bytes.Clone(data)}
	}
	return fs
}

func (fs *ramFS) restart() { fs.epoch++; clear(fs.fds) }

func (fs *ramFS) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type == fsproto.Open {
		return fs.open(ctx, req)
	}
	fd := fsproto.FD(req.Word(0))
	d, ok := fs.fds[fd]
	switch {
	case fd.Epoch() != fs.epoch:
		return ipc.ErrorReply(req, linux.ESTALE)
	case !ok || d.caller != ctx.Caller:
		return ipc.ErrorReply(req, linux.EBADF)
	}
	rep := ipc.Reply(req)
	n, off := int(req.Word(1)), int(req.Word(2))
	switch req.Type {
	case fsproto.Close:
		delete(fs.fds, fd)
	case fsproto.Fsync:
	case fsproto.Fstat:
		var b [fsproto.AttrSize]byte
		a := fsproto.Attr{Ino: d.f.ino, Mode: linux.S_IFREG | 0o644, Nlink: 1, Size: int64(len(d.f.data))}
		a.Encode(b[:])
		ctx.CopyOut(0, b[:])
	case fsproto.Pread:
		end := min(off+n, len(d.f.data))
		if off < end {
			k, _ := ctx.CopyOut(0, d.f.data[off:end])
			rep.SetWord(0, uint64(k))
		}
	case fsproto.Pwrite:
		if !d.write {
			return ipc.ErrorReply(req, linux.EBADF)
		}
		buf := make([]byte, n)
		k, _ := ctx.CopyIn(0, buf)
		if need := off + k; need > len(d.f.data) {
			d.f.data = append(d.f.data, make([]byte, need-len(d.f.data))...)
		}
		copy(d.f.data[off:], buf[:k])
		rep.SetWord(0, uint64(k))
	default:
		return ipc.ErrorReply(req, ipc.ErrNoSys)
	}
	return rep
}

func (fs *ramFS) open(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	path := make([]byte, req.Word(fsproto.PathWord))
	ctx.CopyIn(0, path)
	f, ok := fs.files[string(path)]
	if !ok {
		return ipc.ErrorReply(req, linux.ENOENT)
	}
	fs.next++
	fs.opens++
	fd := fsproto.MakeFD(fs.epoch, fs.next)
	fs.fds[fd] = ramFD{f: f, caller: ctx.Caller, write: int(req.Word(0))&linux.O_ACCMODE == linux.O_RDWR}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(fd))
	return rep
}

// bootFiles boots mm as placed and the file server over files, in the
// kernel with mm in the kernel and in its own task otherwise.
func bootFiles(t *testing.T, inKernel bool, opt mm.Options, files map[string][]byte) (*sys, *ramFS) {
	s := bootMM(t, inKernel, opt, kernel.MemConfig{})
	fs := newRAMFS(files)
	if inKernel {
		_, err := s.k.Place(fsproto.Name, fs)
		require.NoError(t, err)
	} else {
		_, err := s.k.Declare(fsproto.Name)
		require.NoError(t, err)
		s.spawn(t, "fs", func(sys ipc.Sys) { _ = ipc.Serve(sys, fsproto.Name, fs) })
	}
	return s, fs
}

// pages returns n pages of filler.
func pages(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n*ipc.PageSize) }

func TestEvictionWritesFilePagesBack(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s, fs := bootFiles(t, inKernel, mm.Options{Policy: "fifo", ResidentLimit: 2}, map[string][]byte{"/f": pages(4, '.')})
		var early []byte
		var stats ipc.MemStats
		s.spawn(t, "user", func(sys ipc.Sys) {
			c := client(t, sys)
			base, err := c.MmapFile(0, 4*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapShared, "/f", linux.O_RDWR, 0)
			if !assert.NoError(t, err) {
				return
			}
			for i := range 4 {
				assert.NoError(t, sys.Store(base+uint64(i)*ipc.PageSize, pattern(i)))
			}
			early = bytes.Clone(fs.files["/f"].data)
			touchAll(t, sys, base, 4)
			stats = sys.MemStats()
			assert.NoError(t, c.Munmap(base, 4*ipc.PageSize))
		})
		s.run(t)
		for i := range 2 {
			assert.Equal(t, pattern(i), early[i*ipc.PageSize:][:len(pattern(i))], "page %d was evicted: written back", i)
		}
		assert.Equal(t, pages(1, '.'), early[3*ipc.PageSize:], "page 3 is still in memory")
		for i := range 4 {
			assert.Equal(t, pattern(i), fs.files["/f"].data[i*ipc.PageSize:][:len(pattern(i))], "page %d after munmap", i)
		}
		assert.Len(t, fs.files["/f"].data, 4*ipc.PageSize, "the file did not grow")
		assert.Equal(t, stats.MinorFaults+stats.MajorFaults, stats.MajorFaults, "every fault read the file")
		assert.Zero(t, s.mm.Stats().SwapOuts, "file pages never go to swap")
		assert.Empty(t, fs.fds, "mm closed its descriptors")
	})
}

func TestFileDescriptorsOfMM(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s, fs := bootFiles(t, inKernel, mm.Options{}, map[string][]byte{"/f": pages(3, 'x')})
		var held int
		s.spawn(t, "user", func(sys ipc.Sys) {
			c := client(t, sys)
			a, _ := c.MmapFile(0, 3*ipc.PageSize, ipc.ProtRead, 0, "/f", linux.O_RDONLY, 0)
			b, _ := c.MmapFile(0, 3*ipc.PageSize, ipc.ProtRead, mmproto.MapShared, "/f", linux.O_RDONLY, 0)
			var x [1]byte
			assert.NoError(t, sys.Load(a, x[:]))
			assert.NoError(t, sys.Load(b, x[:]))
			fs.restart() // every descriptor is stale now
			assert.NoError(t, sys.Load(a+ipc.PageSize, x[:]), "mm opens the file again")
			assert.Equal(t, byte('x'), x[0])
			held = len(fs.fds)
			assert.NoError(t, c.Munmap(a, 3*ipc.PageSize))
			assert.NoError(t, c.Munmap(b, 3*ipc.PageSize))
		})
		s.run(t)
		if inKernel {
			assert.Zero(t, held, "in the kernel mm opens the file for each transfer")
		} else {
			assert.Equal(t, 1, held, "in its own task mm keeps one descriptor per file and mode")
		}
		assert.Empty(t, fs.fds, "and closes it with the last mapping")
	})
}

func TestRestartKeepsFileMappings(t *testing.T) {
	s, fs := bootFiles(t, false, mm.Options{}, map[string][]byte{"/f": pages(2, 'o')})
	second := mm.NewWith(mm.Options{})
	var got [1]byte
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		base, err := c.MmapFile(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapShared, "/f", linux.O_RDWR, 0)
		assert.NoError(t, err)
		assert.NoError(t, sys.Store(base, []byte("A")))
		sys.Sleep(2_000_000) // mm dies and comes back
		assert.NoError(t, sys.Load(base+ipc.PageSize, got[:]), "the new mm reads the file")
		assert.NoError(t, sys.Store(base+ipc.PageSize, []byte("B")))
		assert.NoError(t, client(t, sys).Msync(base, 2*ipc.PageSize))
	})
	s.spawn(t, "reincarnation", func(sys ipc.Sys) {
		sys.Sleep(1_000_000)
		assert.NoError(t, sys.Kill(s.mmTask))
		_, err := sys.Spawn(ipc.TaskSpec{Name: "mm2", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, mmproto.Name, second) }})
		assert.NoError(t, err)
	})
	s.run(t)
	assert.Equal(t, byte('o'), got[0])
	data := fs.files["/f"].data
	assert.Equal(t, "A", string(data[:1]), "a page mapped before the restart is written back by the new mm")
	assert.Equal(t, "B", string(data[ipc.PageSize:][:1]))
}

func TestFileReplacedUnderAMapping(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s, fs := bootFiles(t, inKernel, mm.Options{}, map[string][]byte{"/f": pages(2, 'o')})
		after := false
		var got [1]byte
		s.spawn(t, "user", func(sys ipc.Sys) {
			c := client(t, sys)
			base, _ := c.MmapFile(0, 2*ipc.PageSize, ipc.ProtRead, 0, "/f", linux.O_RDONLY, 0)
			fs.files["/f"] = &ramFile{ino: 99, data: pages(2, 'n')} // renamed over
			_ = sys.Load(base, got[:])
			after = true
		})
		s.run(t)
		if inKernel {
			assert.False(t, after, "mm opens by name, finds another file, and refuses the fault")
		} else {
			assert.True(t, after, "mm's descriptor still reaches the old file")
			assert.Equal(t, byte('o'), got[0])
		}
	})
}

func TestMprotectHeap(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s := bootMM(t, inKernel, mm.Options{}, kernel.MemConfig{})
		reached := 0
		s.spawn(t, "user", func(sys ipc.Sys) {
			c := client(t, sys)
			h := mmproto.HeapBase
			_, err := c.Brk(h + 4*ipc.PageSize)
			assert.NoError(t, err)
			for i := range 4 {
				assert.NoError(t, sys.Store(h+uint64(i)*ipc.PageSize, pattern(i)))
			}
			assert.NoError(t, c.Mprotect(h+ipc.PageSize, 2*ipc.PageSize, ipc.ProtRead))
			assert.ErrorIs(t, c.Mprotect(h, 5*ipc.PageSize, ipc.ProtRead), linux.ENOMEM, "past the break")
			_, err = c.Brk(h + 2*ipc.PageSize) // cuts the read-only part
			assert.NoError(t, err)
			_, err = c.Brk(h + 4*ipc.PageSize)
			assert.NoError(t, err)
			assert.NoError(t, sys.Store(h+2*ipc.PageSize, []byte("x")), "grown again: writable")
			zero := make([]byte, len(pattern(3)))
			assert.NoError(t, sys.Load(h+3*ipc.PageSize, zero))
			assert.Equal(t, make([]byte, len(zero)), zero, "the freed page came back zero-filled")
			st, err := c.TaskStats(0)
			assert.NoError(t, err)
			assert.Equal(t, 4, st.Virtual)
			assert.Equal(t, 4, st.Resident)
			reached = 1
			assert.NoError(t, c.Mprotect(h, 4*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite), "all of it back")
			assert.NoError(t, sys.Store(h+ipc.PageSize, []byte("x")))
			assert.NoError(t, c.Mprotect(h+ipc.PageSize, ipc.PageSize, 0))
			reached = 2
			var b [1]byte
			_ = sys.Load(h+ipc.PageSize, b[:])
			reached = 3
		})
		s.run(t)
		assert.Equal(t, 2, reached, "a read of a PROT_NONE heap page is a segmentation fault")
		d, ok := s.death("user")
		require.True(t, ok)
		assert.Contains(t, d.Cause, "segmentation fault")
	})
}

func TestTaskStatsOfOthers(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	var worker ipc.Endpoint
	var live, gone mmproto.TaskStats
	var unknownErr error
	worker = s.spawn(t, "worker", func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 3*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		touchAll(t, sys, base, 2)
		sys.Sleep(1_000_000)
	})
	s.spawn(t, "ps", func(sys ipc.Sys) {
		c := client(t, sys)
		sys.Sleep(500_000)
		live, _ = c.TaskStats(worker)
		sys.Sleep(1_000_000)
		gone, _ = c.TaskStats(worker)
		_, unknownErr = c.TaskStats(sys.Self() + 1<<32)
	})
	s.run(t)
	assert.Equal(t, mmproto.TaskStats{Task: worker, Resident: 2, Virtual: 3, Minor: 2}, live)
	assert.Equal(t, mmproto.TaskStats{Task: worker, Minor: 2, Exited: true}, gone)
	assert.ErrorIs(t, unknownErr, linux.ESRCH)
}
