package tests

// The memory manager with the file server, end to end, booted by boot in
// every mode: file mappings read their file, shared ones write back
// (msync, munmap), private ones never do; mprotect on the heap and on
// mappings; the per-task counters in the kernel, in mm and in the run
// summary. Bodies use assert, never require: a body runs on its own
// coroutine.

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
)

// bootMemory boots mode with the file server on a fresh formatted disk in
// memory, and mm.
func bootMemory(t *testing.T, mode boot.Mode) *boot.System {
	t.Helper()
	cfg := boot.Default()
	cfg.Mode = mode
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = 0
	cfg.Servers = []boot.ServerConf{{Name: fsproto.Name}, {Name: mmproto.Name}}
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, sys.FormatDisk())
	return sys
}

// everyMode runs body as one task in each mode and returns the summaries.
func everyMode(t *testing.T, body func(t *testing.T, sys ipc.Sys)) map[boot.Mode]*boot.Summary {
	sums := map[boot.Mode]*boot.Summary{}
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			sys := bootMemory(t, mode)
			_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "prog", Body: func(s ipc.Sys) { body(t, s) }})
			require.NoError(t, err)
			sum, err := sys.Run()
			require.NoError(t, err)
			require.NoError(t, sys.Close())
			sums[mode] = sum
		})
	}
	return sums
}

// fileText is the contents of the test files: two and a half pages, each
// byte telling where it is.
func fileText() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 5*ipc.PageSize/2; i++ {
		b.WriteString("offset ")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteByte('\n')
	}
	return b.Bytes()[:5*ipc.PageSize/2]
}

// clients dials fs and mm and creates path holding data.
func clients(t *testing.T, sys ipc.Sys, path string, data []byte) (fsproto.Client, mmproto.Client, bool) {
	fc, err1 := fsproto.Dial(sys)
	mc, err2 := mmproto.Dial(sys)
	if !assert.NoError(t, err1) || !assert.NoError(t, err2) {
		return fc, mc, false
	}
	fd, err := fc.Create(path, 0o644)
	if !assert.NoError(t, err) {
		return fc, mc, false
	}
	_, err = fc.Write(fd, data)
	assert.NoError(t, err)
	assert.NoError(t, fc.Close(fd))
	return fc, mc, err == nil
}

// readFile reads path through the file server: read(2).
func readFile(t *testing.T, fc fsproto.Client, path string) []byte {
	out, err := fc.ReadFile(path)
	assert.NoError(t, err)
	return out
}

func TestFileMappingReadsTheFile(t *testing.T) {
	text := fileText()
	sums := everyMode(t, func(t *testing.T, sys ipc.Sys) {
		_, mc, ok := clients(t, sys, "/data", text)
		if !ok {
			return
		}
		base, err := mc.MmapFile(0, 4*ipc.PageSize, ipc.ProtRead, 0, "/data", linux.O_RDONLY, 0)
		if !assert.NoError(t, err) {
			return
		}
		got := make([]byte, 4*ipc.PageSize)
		assert.NoError(t, sys.Load(base, got))
		assert.Equal(t, text, got[:len(text)], "the mapping holds the file")
		assert.Equal(t, make([]byte, len(got)-len(text)), got[len(text):], "past the end of the file: zeros")
		ms := sys.MemStats()
		assert.Equal(t, int64(4), ms.MajorFaults, "each page was read from the file")
		assert.Equal(t, 4, ms.Resident)

		// An offset into the file.
		at, err := mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, mmproto.MapShared, "/data", linux.O_RDONLY, ipc.PageSize)
		assert.NoError(t, err)
		page := make([]byte, ipc.PageSize)
		assert.NoError(t, sys.Load(at, page))
		assert.Equal(t, text[ipc.PageSize:2*ipc.PageSize], page, "the second page of the file")

		_, err = mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, 0, "/missing", linux.O_RDONLY, 0)
		assert.ErrorIs(t, err, linux.ENOENT)
		_, err = mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, 0, "/", linux.O_RDONLY, 0)
		assert.ErrorIs(t, err, linux.ENODEV, "a directory")
		_, err = mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, 0, "/data", linux.O_WRONLY, 0)
		assert.ErrorIs(t, err, linux.EACCES, "write-only")
		_, err = mc.MmapFile(0, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapShared, "/data", linux.O_RDONLY, 0)
		assert.ErrorIs(t, err, linux.EACCES, "a shared writable mapping of a read-only file")
		_, err = mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, 0, "/data", linux.O_RDONLY, 100)
		assert.ErrorIs(t, err, ipc.ErrInvalid, "an unaligned offset")
	})
	for mode, sum := range sums {
		assert.NotNil(t, sum.Memory, "%s: the summary has a memory section", mode)
	}
}

func TestSharedFileMappingWritesBack(t *testing.T) {
	text := fileText()
	everyMode(t, func(t *testing.T, sys ipc.Sys) {
		fc, mc, ok := clients(t, sys, "/shared", text)
		if !ok {
			return
		}
		base, err := mc.MmapFile(0, 3*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapShared, "/shared", linux.O_RDWR, 0)
		if !assert.NoError(t, err) {
			return
		}
		want := append([]byte(nil), text...)
		store := func(off int, s string) {
			assert.NoError(t, sys.Store(base+uint64(off), []byte(s)))
			copy(want[off:], s)
		}
		store(10, "written through the mapping")
		store(ipc.PageSize+5, "second page")
		assert.Equal(t, text, readFile(t, fc, "/shared"), "not written back yet")
		assert.NoError(t, mc.Msync(base, 3*ipc.PageSize))
		assert.Equal(t, want, readFile(t, fc, "/shared"), "msync wrote the pages back")

		store(2*ipc.PageSize+100, "last page, after msync")
		assert.NoError(t, sys.Store(base+2*ipc.PageSize+ipc.PageSize/2+10, []byte("past the end")))
		assert.NoError(t, mc.Munmap(base, 3*ipc.PageSize))
		assert.Equal(t, want, readFile(t, fc, "/shared"), "munmap wrote back; the file did not grow")

		again, err := mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, mmproto.MapShared, "/shared", linux.O_RDONLY, 0)
		assert.NoError(t, err)
		got := make([]byte, 40)
		assert.NoError(t, sys.Load(again, got))
		assert.Equal(t, want[:40], got, "a new mapping reads what was written back")
	})
}

func TestSharedFileMappingBetweenTasks(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			sys := bootMemory(t, mode)
			var fc fsproto.Client
			written := false
			var seen []byte
			_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "writer", Body: func(s ipc.Sys) {
				var mc mmproto.Client
				var ok bool
				fc, mc, ok = clients(t, s, "/both", fileText())
				if !ok {
					return
				}
				base, err := mc.MmapFile(0, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapShared, "/both", linux.O_RDWR, 0)
				assert.NoError(t, err)
				assert.NoError(t, s.Store(base, []byte("from the writer")))
				written = true
				_, err = s.Spawn(ipc.TaskSpec{Name: "reader", Body: func(s ipc.Sys) {
					mc, _ := mmproto.Dial(s)
					at, err := mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, mmproto.MapShared, "/both", linux.O_RDONLY, 0)
					assert.NoError(t, err)
					seen = make([]byte, 15)
					assert.NoError(t, s.Load(at, seen))
				}})
				assert.NoError(t, err)
				s.Sleep(1_000_000)
				assert.NoError(t, mc.Release(), "as at exit: the page is written back")
				assert.Equal(t, "from the writer", string(readFile(t, fc, "/both")[:15]))
			}})
			require.NoError(t, err)
			_, err = sys.Run()
			require.NoError(t, err)
			require.NoError(t, sys.Close())
			assert.True(t, written)
			assert.Equal(t, "from the writer", string(seen), "the reader sees the writer's page, not yet written back")
		})
	}
}

func TestPrivateFileMappingNeverWritesBack(t *testing.T) {
	text := fileText()
	everyMode(t, func(t *testing.T, sys ipc.Sys) {
		fc, mc, ok := clients(t, sys, "/private", text)
		if !ok {
			return
		}
		base, err := mc.MmapFile(0, 3*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, 0, "/private", linux.O_RDONLY, 0)
		if !assert.NoError(t, err) {
			return
		}
		assert.NoError(t, sys.Store(base+10, []byte("mine alone")))
		got := make([]byte, 10)
		assert.NoError(t, sys.Load(base+10, got))
		assert.Equal(t, "mine alone", string(got))
		assert.NoError(t, mc.Msync(base, 3*ipc.PageSize), "msync of a private mapping writes nothing")
		assert.NoError(t, mc.Munmap(base, 3*ipc.PageSize))
		assert.Equal(t, text, readFile(t, fc, "/private"), "the file never changed")
		again, err := mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, 0, "/private", linux.O_RDONLY, 0)
		assert.NoError(t, err)
		assert.NoError(t, sys.Load(again+10, got))
		assert.Equal(t, text[10:20], got, "a new private mapping reads the file")
	})
}

func TestMprotectThenWriteIsASegfault(t *testing.T) {
	type outcome struct{ heapAfter, mmapAfter bool }
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			sys := bootMemory(t, mode)
			var o outcome
			var stats mmproto.TaskStats
			heapTask, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "heap", Body: func(s ipc.Sys) {
				mc, _ := mmproto.Dial(s)
				_, err := mc.Brk(mmproto.HeapBase + 3*ipc.PageSize)
				assert.NoError(t, err)
				assert.NoError(t, s.Store(mmproto.HeapBase+ipc.PageSize, []byte("heap data")))
				assert.NoError(t, mc.Mprotect(mmproto.HeapBase+ipc.PageSize, ipc.PageSize, ipc.ProtRead))
				got := make([]byte, 9)
				assert.NoError(t, s.Load(mmproto.HeapBase+ipc.PageSize, got))
				assert.Equal(t, "heap data", string(got), "a read-only heap page reads")
				assert.NoError(t, s.Store(mmproto.HeapBase+2*ipc.PageSize, []byte("x")), "the page above stays writable")
				assert.NoError(t, s.Store(mmproto.HeapBase, []byte("x")), "the page below stays writable")
				_, err = mc.Brk(mmproto.HeapBase + 4*ipc.PageSize)
				assert.NoError(t, err, "the heap grows past a read-only page")
				assert.NoError(t, s.Store(mmproto.HeapBase+3*ipc.PageSize, []byte("x")), "and its new page is writable")
				_ = s.Store(mmproto.HeapBase+ipc.PageSize, []byte("x"))
				o.heapAfter = true
			}})
			require.NoError(t, err)
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "mmap", Body: func(s ipc.Sys) {
				fc, mc, ok := clients(t, s, "/ro", fileText())
				if !ok {
					return
				}
				base, err := mc.MmapFile(0, ipc.PageSize, ipc.ProtRead, mmproto.MapShared, "/ro", linux.O_RDONLY, 0)
				assert.NoError(t, err)
				assert.ErrorIs(t, mc.Mprotect(base, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite), linux.EACCES,
					"a shared mapping of a file opened read-only never becomes writable")
				anon, err := mc.Mmap(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
				assert.NoError(t, err)
				assert.NoError(t, s.Store(anon, []byte("x")))
				assert.NoError(t, mc.Mprotect(anon, 2*ipc.PageSize, ipc.ProtRead))
				s.Sleep(10_000_000) // the heap task is dead by then
				stats, err = mc.TaskStats(heapTask)
				assert.NoError(t, err)
				_ = fc
				_ = s.Store(base, []byte("x"))
				o.mmapAfter = true
			}})
			require.NoError(t, err)
			sum, err := sys.Run()
			require.NoError(t, err)
			require.NoError(t, sys.Close())
			assert.Equal(t, outcome{}, o, "both writes killed their task")
			assert.Equal(t, int64(1), stats.Segv, "mm counted the heap task's segmentation fault")
			assert.True(t, stats.Exited)
			require.NotNil(t, sum.Memory)
			segv := int64(0)
			for _, tm := range sum.Memory.Tasks {
				segv += tm.Segv
			}
			assert.Equal(t, int64(2), segv, "the summary shows both")
			assert.Equal(t, int64(2), sum.Memory.MM.Segv)
		})
	}
}

func TestMemoryStatistics(t *testing.T) {
	const pages = 5
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			sys := bootMemory(t, mode)
			var kernelSide ipc.MemStats
			var mmSide mmproto.TaskStats
			toucher := func(s ipc.Sys) {
				mc, _ := mmproto.Dial(s)
				base, err := mc.Mmap(0, 8*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
				assert.NoError(t, err)
				for i := range pages {
					for j := range 10 {
						assert.NoError(t, s.Store(base+uint64(i*ipc.PageSize+j*8), []byte("12345678")))
					}
				}
				kernelSide = s.MemStats()
				mmSide, err = mc.TaskStats(0)
				assert.NoError(t, err)
			}
			_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "toucher", Body: toucher})
			require.NoError(t, err)
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "stays", Body: func(s ipc.Sys) {
				toucher(s)
				var m ipc.Message
				_ = s.Receive(ipc.KernelEndpoint, &m) // never comes: alive at the end of the run
			}})
			require.NoError(t, err)
			sum, err := sys.Run()
			require.NoError(t, err)
			require.NoError(t, sys.Close())

			assert.Equal(t, pages, kernelSide.Resident, "resident = pages touched")
			assert.Equal(t, int64(pages), kernelSide.MinorFaults, "one fault per page")
			assert.Equal(t, int64(0), kernelSide.MajorFaults)
			assert.Equal(t, int64(10*pages)+kernelSide.MinorFaults, kernelSide.TLBHits+kernelSide.TLBMisses,
				"every access went through the TLB, and each fault's retry once more")
			assert.Equal(t, mmproto.TaskStats{Task: mmSide.Task, Resident: pages, Virtual: 8, Minor: pages}, mmSide,
				"mm agrees with the kernel")

			require.NotNil(t, sum.Memory)
			var rows []boot.TaskMemory
			for _, tm := range sum.Memory.Tasks {
				if tm.Minor > 0 {
					rows = append(rows, tm)
				}
			}
			require.Len(t, rows, 2)
			exited, stays := rows[0], rows[1]
			if !exited.Exited {
				exited, stays = stays, exited
			}
			assert.True(t, exited.Exited)
			assert.Equal(t, int64(pages), exited.Minor)
			assert.False(t, exited.TLBKnown, "the kernel forgot a dead task's TLB counters")
			assert.Equal(t, "stays", stays.Task)
			assert.Equal(t, pages, stays.Resident)
			assert.Equal(t, int64(pages), stays.Minor)
			rate, ok := stays.TLBHitRate()
			assert.True(t, ok)
			assert.InDelta(t, 100*float64(kernelSide.TLBHits)/float64(kernelSide.TLBHits+kernelSide.TLBMisses), rate, 1e-9)
			assert.Equal(t, int64(2*pages), sum.Memory.Faults)

			var out bytes.Buffer
			sum.Write(&out)
			assert.Contains(t, out.String(), "memory: 10 page faults")
			assert.Regexp(t, `stays +5 +5 +0 +0 +\d+ +\d+ +\d+\.\d%`, out.String())
			assert.Regexp(t, `\d+\.\d+ \(exited\) +0 +5 +0 +0 +- +- +-`, out.String())
		})
	}
}

func TestNoMemorySectionWithoutMemory(t *testing.T) {
	sys := bootMemory(t, boot.Micro)
	_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "files", Body: func(s ipc.Sys) {
		clients(t, s, "/f", []byte("no memory touched"))
	}})
	require.NoError(t, err)
	sum, err := sys.Run()
	require.NoError(t, err)
	require.NoError(t, sys.Close())
	assert.Nil(t, sum.Memory)
	var out bytes.Buffer
	sum.Write(&out)
	assert.NotContains(t, out.String(), "memory:")
}
