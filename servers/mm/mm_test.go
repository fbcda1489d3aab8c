package mm_test

// Tests of mm under the real kernel: a task's Load and Store fault to mm,
// which pages. Bodies use assert, never require: a body runs on its own
// coroutine.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// sys is a booted kernel with mm, in its own task or in the kernel.
type sys struct {
	k      *kernel.Kernel
	mm     *mm.Server
	mmTask ipc.Endpoint
	deaths []ipc.Death
}

func bootMM(t *testing.T, inKernel bool, opt mm.Options, mem kernel.MemConfig) *sys {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1, Memory: mem})
	require.NoError(t, err)
	s := &sys{k: k, mm: mm.NewWith(opt)}
	if inKernel {
		_, err = k.Place(mmproto.Name, s.mm)
		require.NoError(t, err)
	} else {
		_, err = k.Declare(mmproto.Name)
		require.NoError(t, err)
		s.mmTask, err = k.Spawn(ipc.TaskSpec{Name: "mm", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, mmproto.Name, s.mm) }})
		require.NoError(t, err)
	}
	_, err = k.Spawn(ipc.TaskSpec{Name: "supervisor", Body: func(sys ipc.Sys) {
		if sys.Supervise() != nil {
			return
		}
		var m ipc.Message
		for sys.Receive(ipc.KernelEndpoint, &m) == nil {
			for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
				s.deaths = append(s.deaths, d)
			}
		}
	}})
	require.NoError(t, err)
	return s
}

func (s *sys) spawn(t *testing.T, name string, body func(ipc.Sys)) ipc.Endpoint {
	t.Helper()
	ep, err := s.k.Spawn(ipc.TaskSpec{Name: name, Body: body})
	require.NoError(t, err)
	return ep
}

func (s *sys) run(t *testing.T) {
	t.Helper()
	require.NoError(t, s.k.Run())
	require.Nil(t, s.k.Halted())
}

// death returns the death notice of the task named name.
func (s *sys) death(name string) (ipc.Death, bool) {
	for _, d := range s.deaths {
		if d.Name == name {
			return d, true
		}
	}
	return ipc.Death{}, false
}

func client(t *testing.T, sys ipc.Sys) mmproto.Client {
	c, err := mmproto.Dial(sys)
	assert.NoError(t, err)
	return c
}

// pattern is the contents the tests write to page i.
func pattern(i int) []byte { return []byte(fmt.Sprintf("page %d says hello", i)) }

// placements runs f with mm in its own task and in the kernel.
func placements(t *testing.T, f func(t *testing.T, inKernel bool)) {
	for _, inKernel := range []bool{false, true} {
		t.Run(map[bool]string{false: "mm in user space", true: "mm in the kernel"}[inKernel], func(t *testing.T) {
			f(t, inKernel)
		})
	}
}

func TestZeroFillAndData(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s := bootMM(t, inKernel, mm.Options{}, kernel.MemConfig{})
		var stats ipc.MemStats
		s.spawn(t, "user", func(sys ipc.Sys) {
			c := client(t, sys)
			base, err := c.Mmap(0, 4*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
			assert.NoError(t, err)
			assert.Equal(t, mmproto.MmapBase, base)
			zero := make([]byte, 16)
			assert.NoError(t, sys.Load(base+3*ipc.PageSize+8, zero))
			assert.Equal(t, make([]byte, 16), zero, "a new page is zero-filled")
			// A store that straddles two pages.
			msg := []byte("across the page boundary")
			assert.NoError(t, sys.Store(base+ipc.PageSize-10, msg))
			got := make([]byte, len(msg))
			assert.NoError(t, sys.Load(base+ipc.PageSize-10, got))
			assert.Equal(t, msg, got)
			stats = sys.MemStats()
		})
		s.run(t)
		assert.Equal(t, int64(3), stats.MinorFaults, "three pages touched, each faults once")
		assert.Equal(t, int64(0), stats.MajorFaults)
		assert.Equal(t, 3, stats.Resident)
		assert.Equal(t, int64(3), s.mm.Stats().Faults)
	})
}

func TestSegfaultOutsideRegions(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s := bootMM(t, inKernel, mm.Options{}, kernel.MemConfig{})
		after := false
		s.spawn(t, "wild", func(sys ipc.Sys) {
			var b [1]byte
			_ = sys.Load(0x1234, b[:])
			after = true
		})
		s.spawn(t, "ro", func(sys ipc.Sys) {
			c := client(t, sys)
			base, err := c.Mmap(0, ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous, 0)
			assert.NoError(t, err)
			var b [1]byte
			assert.NoError(t, sys.Load(base, b[:]), "reading a read-only page")
			_ = sys.Store(base, b[:])
			after = true
		})
		s.run(t)
		assert.False(t, after, "a task never returns from a refused access")
		d, ok := s.death("wild")
		require.True(t, ok)
		assert.Equal(t, "segmentation fault at 0x1234", d.Cause)
		d, ok = s.death("ro")
		require.True(t, ok)
		assert.True(t, strings.HasPrefix(d.Cause, "segmentation fault at "), d.Cause)
		assert.Equal(t, int64(2), s.mm.Stats().Segv)
	})
}

func TestBrk(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		end, err := c.Brk(0)
		assert.NoError(t, err)
		assert.Equal(t, mmproto.HeapBase, end)
		end, err = c.Brk(end + 10000)
		assert.NoError(t, err)
		assert.Equal(t, mmproto.HeapBase+10000, end)
		assert.NoError(t, sys.Store(mmproto.HeapBase+9999, []byte{7}))
		_, err = c.Brk(mmproto.HeapBase + ipc.PageSize) // shrink: the last page goes
		assert.NoError(t, err)
		var b [1]byte
		_ = sys.Load(mmproto.HeapBase+9999, b[:])
		assert.Fail(t, "the page past the break is still there")
	})
	s.run(t)
	d, ok := s.death("user")
	require.True(t, ok)
	assert.Contains(t, d.Cause, "segmentation fault")
	assert.Equal(t, 0, s.mm.Stats().Resident, "the dead task's pages are forgotten")
}

func TestMmapErrors(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		_, err := c.Mmap(0, 0, ipc.ProtRead, mmproto.MapAnonymous, 0)
		assert.ErrorIs(t, err, ipc.ErrInvalid, "zero length")
		_, err = c.Mmap(0, ipc.PageSize, ipc.ProtRead, 0, 0)
		assert.ErrorIs(t, err, ipc.ErrInvalid, "a file mapping without a path")
		a, err := c.Mmap(0x5000_0000, 2*ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous, 0)
		assert.NoError(t, err)
		assert.Equal(t, uint64(0x5000_0000), a, "a free hint is taken")
		_, err = c.Mmap(0x5000_1000, ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous|mmproto.MapFixed, 0)
		assert.Error(t, err, "MapFixed over a mapping")
		b, err := c.Mmap(0x5000_1000, ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous, 0)
		assert.NoError(t, err)
		assert.Equal(t, mmproto.MmapBase, b, "a taken hint is moved")
		assert.NoError(t, c.Munmap(a, 2*ipc.PageSize))
		assert.ErrorIs(t, c.Munmap(a+1, ipc.PageSize), ipc.ErrInvalid, "unaligned")
		assert.Error(t, c.Mprotect(a, ipc.PageSize, ipc.ProtRead), "mprotect of an unmapped range")
	})
	s.run(t)
}

func TestMprotect(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 3*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		assert.NoError(t, sys.Store(base+ipc.PageSize, []byte("keep me")))
		assert.NoError(t, c.Mprotect(base+ipc.PageSize, ipc.PageSize, 0))
		assert.NoError(t, sys.Store(base, []byte("x")), "the page before is still writable")
		assert.NoError(t, c.Mprotect(base+ipc.PageSize, ipc.PageSize, ipc.ProtRead))
		got := make([]byte, 7)
		assert.NoError(t, sys.Load(base+ipc.PageSize, got))
		assert.Equal(t, "keep me", string(got), "the data survived PROT_NONE")
		_ = sys.Store(base+ipc.PageSize, got)
		assert.Fail(t, "a write to a read-only page returned")
	})
	s.run(t)
	d, ok := s.death("user")
	require.True(t, ok)
	assert.Contains(t, d.Cause, "segmentation fault")
}

// touchAll writes pattern(i) to page i of n, then reads them all back.
func touchAll(t *testing.T, sys ipc.Sys, base uint64, n int) {
	for i := range n {
		assert.NoError(t, sys.Store(base+uint64(i)*ipc.PageSize, pattern(i)))
	}
	for i := range n {
		got := make([]byte, len(pattern(i)))
		assert.NoError(t, sys.Load(base+uint64(i)*ipc.PageSize, got))
		assert.Equal(t, string(pattern(i)), string(got), "page %d", i)
	}
}

func TestSwapRoundTrip(t *testing.T) {
	for _, policy := range mm.PolicyNames() {
		t.Run(policy, func(t *testing.T) {
			s := bootMM(t, false, mm.Options{Policy: policy, ResidentLimit: 3}, kernel.MemConfig{})
			var st ipc.MemStats
			s.spawn(t, "user", func(sys ipc.Sys) {
				c := client(t, sys)
				base, _ := c.Mmap(0, 8*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
				touchAll(t, sys, base, 8)
				st = sys.MemStats()
			})
			s.run(t)
			ms := s.mm.Stats()
			assert.LessOrEqual(t, st.Resident, 3, "the resident limit holds")
			assert.Positive(t, ms.SwapOuts, "dirty victims were written to swap")
			assert.Positive(t, st.MajorFaults, "pages came back from swap")
			assert.Equal(t, ms.Major, st.MajorFaults)
		})
	}
}

func TestPhysicalMemoryFull(t *testing.T) {
	// No resident limit: the kernel's 6 frames run out, VMAlloc says
	// ENOMEM, and mm evicts.
	s := bootMM(t, true, mm.Options{Policy: "lru"}, kernel.MemConfig{Frames: 16})
	var st mmproto.Stats
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 40*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		touchAll(t, sys, base, 40)
		st = s.mm.Stats() // while the task lives: mm forgets its pages when it dies
	})
	s.run(t)
	assert.Zero(t, s.mm.Stats().Resident, "Resident once the task has died")
	assert.Positive(t, st.Evictions)
	assert.GreaterOrEqual(t, st.Resident, 16-4, "memory stays full of pages (a few frames hold mm's stash)")
	assert.LessOrEqual(t, st.Evictions, st.Faults-int64(st.Resident)+1, "one eviction per fault at most")
}

func TestCleanPagesAreDropped(t *testing.T) {
	s := bootMM(t, false, mm.Options{Policy: "fifo", ResidentLimit: 2}, kernel.MemConfig{})
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 6*ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous, 0)
		var b [8]byte
		for round := 0; round < 2; round++ {
			for i := range 6 {
				assert.NoError(t, sys.Load(base+uint64(i)*ipc.PageSize, b[:]))
				assert.Equal(t, [8]byte{}, b)
			}
		}
	})
	s.run(t)
	st := s.mm.Stats()
	assert.Equal(t, int64(12), st.Faults)
	assert.Equal(t, int64(0), st.SwapOuts, "clean zero pages are dropped, never written")
	assert.Equal(t, int64(0), st.Major)
}

func TestSharedMapping(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s := bootMM(t, inKernel, mm.Options{ResidentLimit: 4}, kernel.MemConfig{})
		var got []byte
		s.spawn(t, "writer", func(sys ipc.Sys) {
			c := client(t, sys)
			base, err := c.Mmap(0, 6*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous|mmproto.MapShared, 42)
			assert.NoError(t, err)
			for i := range 6 {
				assert.NoError(t, sys.Store(base+uint64(i)*ipc.PageSize, pattern(i)))
			}
			sys.Sleep(10_000_000) // the reader maps the object while we live
		})
		s.spawn(t, "reader", func(sys ipc.Sys) {
			sys.Sleep(1_000_000)
			c := client(t, sys)
			base, err := c.Mmap(0x6000_0000, 6*ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous|mmproto.MapShared, 42)
			assert.NoError(t, err)
			for i := range 6 {
				b := make([]byte, len(pattern(i)))
				assert.NoError(t, sys.Load(base+uint64(i)*ipc.PageSize, b))
				got = append(got, b...)
			}
			_ = sys.Store(base, []byte("no")) // read-only for the reader
		})
		s.run(t)
		var want []byte
		for i := range 6 {
			want = append(want, pattern(i)...)
		}
		assert.Equal(t, string(want), string(got), "the reader sees the writer's pages, some through swap")
		d, ok := s.death("reader")
		require.True(t, ok)
		assert.Contains(t, d.Cause, "segmentation fault")
		_, ok = s.death("writer")
		assert.True(t, ok)
		for _, f := range s.k.FrameTable() {
			assert.Zero(t, f.Mappings, "frame %d is still mapped after both tasks died", f.Frame)
		}
	})
}

func TestGrants(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s := bootMM(t, inKernel, mm.Options{}, kernel.MemConfig{})
		var owner, grantee ipc.Endpoint
		var gid ipc.GrantID
		var base uint64
		ready, revoked := false, false
		owner = s.spawn(t, "owner", func(sys ipc.Sys) {
			c := client(t, sys)
			base, _ = c.Mmap(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
			assert.NoError(t, sys.Store(base, []byte("granted bytes")))
			var err error
			gid, err = sys.Grant(grantee, base, 2*ipc.PageSize, ipc.ProtRead)
			assert.NoError(t, err)
			ready = true
			sys.Sleep(2_000_000)
			assert.NoError(t, sys.Revoke(gid))
			revoked = true
			sys.Sleep(2_000_000)
		})
		var got, untouched []byte
		var errNoGrant, errWrite, errRevoked error
		s.spawn(t, "stranger", func(sys ipc.Sys) {
			sys.Sleep(1_000_000)
			_, errNoGrant = sys.GrantCopy(owner, gid, 0, make([]byte, 4), false)
		})
		grantee = s.spawn(t, "grantee", func(sys ipc.Sys) {
			sys.Sleep(1_000_000)
			assert.True(t, ready)
			got = make([]byte, 13)
			_, err := sys.GrantCopy(owner, gid, 0, got, false)
			assert.NoError(t, err)
			untouched = make([]byte, 4)
			_, err = sys.GrantCopy(owner, gid, ipc.PageSize, untouched, false)
			assert.NoError(t, err, "an untouched page of the owner faults to mm for the owner")
			_, errWrite = sys.GrantCopy(owner, gid, 0, []byte("x"), true)
			sys.Sleep(2_000_000)
			assert.True(t, revoked)
			_, errRevoked = sys.GrantCopy(owner, gid, 0, got, false)
		})
		s.run(t)
		assert.Equal(t, "granted bytes", string(got))
		assert.Equal(t, make([]byte, 4), untouched)
		assert.ErrorIs(t, errNoGrant, ipc.ErrPerm, "no grant to the stranger")
		assert.ErrorIs(t, errWrite, ipc.ErrPerm, "a read grant refuses writes")
		assert.ErrorIs(t, errRevoked, ipc.ErrPerm, "revoked")
	})
}

func TestSharedMunmap(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	var afterB, afterA []byte
	s.spawn(t, "a", func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous|mmproto.MapShared, 9)
		assert.NoError(t, sys.Store(base, []byte("shared")))
		sys.Sleep(2_000_000) // b maps, reads and unmaps
		afterB = make([]byte, 6)
		assert.NoError(t, sys.Load(base, afterB))
		assert.NoError(t, c.Munmap(base, 2*ipc.PageSize))
		sys.Sleep(2_000_000)
	})
	s.spawn(t, "b", func(sys ipc.Sys) {
		sys.Sleep(1_000_000)
		c := client(t, sys)
		base, _ := c.Mmap(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous|mmproto.MapShared, 9)
		assert.NoError(t, sys.Store(base+ipc.PageSize, []byte("from b")))
		assert.NoError(t, c.Munmap(base, 2*ipc.PageSize))
		sys.Sleep(2_000_000) // a unmapped too: id 9 is a new, empty object
		base, _ = c.Mmap(0, ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous|mmproto.MapShared, 9)
		afterA = make([]byte, 6)
		assert.NoError(t, sys.Load(base, afterA))
	})
	s.run(t)
	assert.Equal(t, "shared", string(afterB), "b's munmap left a's pages alone")
	assert.Equal(t, make([]byte, 6), afterA, "the object died with its last mapping")
}

func TestDeadTasksAreForgotten(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	short := func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		touchAll(t, sys, base, 2)
	}
	var st mmproto.Stats
	s.spawn(t, "spawner", func(sys ipc.Sys) {
		for range 10 { // waves of 20 short-lived tasks
			for range 20 {
				_, err := sys.Spawn(ipc.TaskSpec{Name: "short", Body: short})
				assert.NoError(t, err)
			}
			sys.Sleep(1_000_000)
		}
		var err error
		st, err = client(t, sys).Stats()
		assert.NoError(t, err)
	})
	s.run(t)
	assert.Equal(t, int64(400), st.Faults)
	assert.LessOrEqual(t, st.Resident, 2*65, "mm noticed the dead tasks and forgot their pages")
}

// TestEveryRequestHasAHandler: no mmproto request type is answered with
// ENOSYS.
func TestEveryRequestHasAHandler(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		for typ := mmproto.Brk; typ <= mmproto.LastRequest; typ++ {
			req := ipc.Message{Type: typ}
			var rep ipc.Message
			assert.NoError(t, sys.CallWith(c.Dst, &req, &rep, &ipc.Extra{Recv: make([]byte, 64)}))
			assert.NotEqual(t, uint16(ipc.ErrNoSys), rep.Errno, "request %d", typ)
		}
		req := ipc.Message{Type: mmproto.LastRequest + 1}
		var rep ipc.Message
		assert.NoError(t, sys.Call(c.Dst, &req, &rep))
		assert.Equal(t, uint16(ipc.ErrNoSys), rep.Errno, "an unknown request")
	})
	s.run(t)
}
