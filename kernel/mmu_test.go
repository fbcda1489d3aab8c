package kernel_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

// zeroPager is the smallest memory manager: every fault below limit gets a
// fresh zeroed frame, mapped read-write; anything else is refused.
type zeroPager struct {
	limit  uint64
	faults int
}

func (z *zeroPager) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type != ipc.PageFault {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	z.faults++
	va, space := req.Word(0), ipc.Endpoint(req.Word(2))
	if va >= z.limit {
		return ipc.ErrorReply(req, linux.EFAULT)
	}
	a := ipc.VMRequest{Op: ipc.VMAlloc}
	if err := ctx.Sys.VM(&a); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	m := ipc.VMRequest{Op: ipc.VMMap, Task: space, VA: va, Frame: a.Frame, Prot: ipc.ProtRead | ipc.ProtWrite}
	if err := ctx.Sys.VM(&m); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	return ipc.Reply(req)
}

// bootPager boots a kernel with the zero pager as "mm", in the kernel or
// as a task.
func bootPager(t *testing.T, inKernel bool, cfg kernel.Config) (*kernel.Kernel, *zeroPager) {
	k, err := kernel.New(cfg)
	require.NoError(t, err)
	z := &zeroPager{limit: 1 << 30}
	if inKernel {
		_, err = k.Place("mm", z)
	} else {
		_, err = k.Declare("mm")
		k.Spawn(ipc.TaskSpec{Name: "mm", Body: func(sys ipc.Sys) { ipc.Serve(sys, "mm", z) }})
	}
	require.NoError(t, err)
	return k, z
}

var pagerPlacements = []struct {
	name     string
	inKernel bool
}{{"mm in user space", false}, {"mm in the kernel", true}}

func TestDemandPaging(t *testing.T) {
	for _, pl := range pagerPlacements {
		t.Run(pl.name, func(t *testing.T) {
			k, z := bootPager(t, pl.inKernel, kernel.Config{})
			var got []byte
			var stats ipc.MemStats
			var steps []kernel.WalkStep
			var self ipc.Endpoint
			k.Spawn(ipc.TaskSpec{Name: "app", Body: func(sys ipc.Sys) {
				self = sys.Self()
				msg := []byte("hello across a page boundary")
				require.NoError(t, sys.Store(0x1ff0, msg)) // spans pages 1 and 2
				got = make([]byte, len(msg))
				require.NoError(t, sys.Load(0x1ff0, got))
				for i := 0; i < 100; i++ {
					var b [8]byte
					require.NoError(t, sys.Load(0x2000, b[:]))
				}
				stats = sys.MemStats()
				steps, _, _ = k.Translate(self, 0x2004)
				_, pa1, err1 := k.Translate(self, 0x1ff0)
				_, pa2, err2 := k.Translate(self, 0x2000)
				require.NoError(t, err1)
				require.NoError(t, err2)
				assert.NotEqual(t, pa1/ipc.PageSize, pa2/ipc.PageSize, "two pages, two frames")
			}})
			require.NoError(t, k.Run())
			assert.Equal(t, "hello across a page boundary", string(got))
			assert.Equal(t, 2, z.faults, "one fault per page touched")
			assert.Equal(t, 2, stats.Resident)
			assert.Equal(t, int64(2), stats.MinorFaults)
			assert.Greater(t, stats.TLBHits, int64(90), "repeated loads hit the TLB")
			require.Len(t, steps, 4)
			assert.Contains(t, steps[2].Text, "present writable user accessed")
			assert.Equal(t, "pa", steps[3].Level)
			assert.Empty(t, k.FrameTable(), "the dead task's frames are free again")
		})
	}
}

func TestSegfaultKillsOnlyTheTask(t *testing.T) {
	for _, pl := range pagerPlacements {
		t.Run(pl.name, func(t *testing.T) {
			k, _ := bootPager(t, pl.inKernel, kernel.Config{})
			rec := &kernel.Recorder{}
			_ = rec
			after := false
			k.Spawn(ipc.TaskSpec{Name: "wild", Body: func(sys ipc.Sys) {
				var b [1]byte
				sys.Load(0x7000_0000, b[:]) // beyond the pager's limit
				after = true
			}})
			survivor := false
			k.Spawn(ipc.TaskSpec{Name: "good", Body: func(sys ipc.Sys) {
				sys.Sleep(1000)
				require.NoError(t, sys.Store(0x5000, []byte{1}))
				survivor = true
			}})
			require.NoError(t, k.Run())
			assert.False(t, after, "the faulting task does not go on")
			assert.True(t, survivor)
		})
	}
}

func TestTLBFlushOrTag(t *testing.T) {
	run := func(tagged bool) (hits, misses int64) {
		k, _ := bootPager(t, false, kernel.Config{Memory: kernel.MemConfig{TLBEntries: 8, TLBTagged: tagged}})
		for i := 0; i < 2; i++ {
			k.Spawn(ipc.TaskSpec{Name: "toucher", Body: func(sys ipc.Sys) {
				var b [1]byte
				for j := 0; j < 50; j++ {
					require.NoError(t, sys.Load(0x1000, b[:]))
					sys.Yield() // a context switch between every access
				}
				s := sys.MemStats()
				hits += s.TLBHits
				misses += s.TLBMisses
			}})
		}
		require.NoError(t, k.Run())
		return hits, misses
	}
	untaggedHits, untaggedMisses := run(false)
	taggedHits, _ := run(true)
	assert.Greater(t, untaggedMisses, int64(90), "an untagged TLB is flushed at every switch")
	assert.Greater(t, taggedHits, untaggedHits+80, "a tagged TLB keeps both tasks' entries")
}

func TestGrants(t *testing.T) {
	for _, pl := range pagerPlacements {
		t.Run(pl.name, func(t *testing.T) {
			k, _ := bootPager(t, pl.inKernel, kernel.Config{})
			var reader ipc.Endpoint
			var owner ipc.Endpoint
			var g ipc.GrantID
			ready := false
			var read, refused, afterRevoke, writeRO error
			var got [5]byte
			k.Spawn(ipc.TaskSpec{Name: "owner", Body: func(sys ipc.Sys) {
				owner = sys.Self()
				require.NoError(t, sys.Store(0x3000, []byte("grant")))
				for reader == 0 {
					sys.Sleep(100)
				}
				var err error
				g, err = sys.Grant(reader, 0x3000, 5, ipc.ProtRead)
				require.NoError(t, err)
				ready = true
				sys.Sleep(10_000)
				require.NoError(t, sys.Revoke(g))
				sys.Sleep(50_000) // stay alive: a dead owner's grants fail with ESRCH instead
			}})
			k.Spawn(ipc.TaskSpec{Name: "reader", Body: func(sys ipc.Sys) {
				reader = sys.Self()
				for !ready {
					sys.Sleep(100)
				}
				_, read = sys.GrantCopy(owner, g, 0, got[:], false)
				_, writeRO = sys.GrantCopy(owner, g, 0, []byte("x"), true)
				_, refused = sys.GrantCopy(owner, g+1, 0, got[:], false)
				sys.Sleep(20_000)
				_, afterRevoke = sys.GrantCopy(owner, g, 0, got[:], false)
			}})
			k.Spawn(ipc.TaskSpec{Name: "snoop", Body: func(sys ipc.Sys) {
				for !ready {
					sys.Sleep(100)
				}
				var b [5]byte
				_, err := sys.GrantCopy(owner, g, 0, b[:], false)
				assert.ErrorIs(t, err, ipc.ErrPerm, "a grant is for its grantee only")
			}})
			require.NoError(t, k.Run())
			require.NoError(t, read)
			assert.Equal(t, "grant", string(got[:]))
			assert.ErrorIs(t, writeRO, ipc.ErrPerm)
			assert.ErrorIs(t, refused, ipc.ErrPerm)
			assert.ErrorIs(t, afterRevoke, ipc.ErrPerm)
		})
	}
}

func TestKernelMessageTypesCannotBeForged(t *testing.T) {
	k, z := bootPager(t, false, kernel.Config{})
	var err error
	k.Spawn(ipc.TaskSpec{Name: "forger", Body: func(sys ipc.Sys) {
		id, _ := sys.Lookup("mm")
		req := ipc.Message{Type: ipc.PageFault}
		var rep ipc.Message
		err = sys.Call(ipc.ServiceEndpoint(id), &req, &rep)
	}})
	require.NoError(t, k.Run())
	assert.ErrorIs(t, err, ipc.ErrInvalid)
	assert.Equal(t, 0, z.faults)
}

func TestVMIsForTheMemoryManagerOnly(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	var vmErr error
	k.Spawn(ipc.TaskSpec{Name: "intruder", Body: func(sys ipc.Sys) {
		vmErr = sys.VM(&ipc.VMRequest{Op: ipc.VMAlloc})
	}})
	require.NoError(t, k.Run())
	assert.ErrorIs(t, vmErr, ipc.ErrPerm)
}

func TestNoMemoryManagerIsASegfault(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	rec := &kernel.Recorder{}
	k2, err := kernel.New(kernel.Config{Trace: rec})
	require.NoError(t, err)
	_ = k
	k2.Spawn(ipc.TaskSpec{Name: "lonely", Body: func(sys ipc.Sys) {
		var b [1]byte
		sys.Load(0x1000, b[:])
	}})
	require.NoError(t, k2.Run())
	var cause string
	for _, e := range rec.Events {
		if e.Kind == kernel.EvDeath {
			cause = e.Detail
		}
	}
	assert.True(t, strings.HasPrefix(cause, "segmentation fault at 0x1000"), "cause = %q", cause)
}
