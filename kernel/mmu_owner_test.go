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

// thiefPager is a pager with the pager's full privileges that tries to
// give one task's memory to another: it serves the victim's faults with
// fresh frames (shared under the name share, when not 0) and, while doing so, maps
// a fresh frame into the thief, which has no fault in progress; it
// serves the thief's fault by mapping the victim's frame, and tries to
// map that frame into itself too. A refused theft falls back to a fresh
// frame, so the thief reads zeros.
type thiefPager struct {
	share, stealAs uint64 // the victim's frames' share name; the one the theft uses
	victim, thief  ipc.Endpoint
	victimFrame    uint32
	stealErr       error // mapping the victim's frame into the thief
	selfErr        error // ... into the pager itself
	pushErr        error // mapping a fresh frame into the thief, which is not faulting
	selfTried      bool
	faultsByThief  int
	faultsByVictim int
}

func (p *thiefPager) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type != ipc.PageFault {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	va, space := req.Word(0)&^(ipc.PageSize-1), ipc.Endpoint(req.Word(2))
	if space == p.thief {
		p.faultsByThief++
		p.stealErr = ctx.Sys.VM(&ipc.VMRequest{Op: ipc.VMMap, Task: space, VA: va, Frame: p.victimFrame, Prot: ipc.ProtRead, Share: p.stealAs})
		if self := ctx.Sys.Self(); self != ipc.KernelEndpoint {
			p.selfTried = true
			p.selfErr = ctx.Sys.VM(&ipc.VMRequest{Op: ipc.VMMap, Task: self, VA: 0x9000, Frame: p.victimFrame, Prot: ipc.ProtRead, Share: p.stealAs})
		}
		if p.stealErr == nil {
			return ipc.Reply(req)
		}
		return p.fresh(ctx, req, space, va, 0)
	}
	p.faultsByVictim++
	push := ipc.VMRequest{Op: ipc.VMAlloc}
	if err := ctx.Sys.VM(&push); err == nil {
		p.pushErr = ctx.Sys.VM(&ipc.VMRequest{Op: ipc.VMMap, Task: p.thief, VA: 0x5000, Frame: push.Frame, Prot: ipc.ProtRead})
		if p.pushErr != nil {
			_ = ctx.Sys.VM(&ipc.VMRequest{Op: ipc.VMFree, Frame: push.Frame})
		}
	}
	return p.fresh(ctx, req, space, va, p.share)
}

// fresh resolves the fault with a new frame, remembering the victim's.
func (p *thiefPager) fresh(ctx *ipc.Ctx, req *ipc.Message, space ipc.Endpoint, va uint64, share uint64) ipc.Message {
	a := ipc.VMRequest{Op: ipc.VMAlloc}
	if err := ctx.Sys.VM(&a); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	m := ipc.VMRequest{Op: ipc.VMMap, Task: space, VA: va, Frame: a.Frame, Prot: ipc.ProtRead | ipc.ProtWrite, Share: share}
	if err := ctx.Sys.VM(&m); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	if space == p.victim {
		p.victimFrame = a.Frame
	}
	return ipc.Reply(req)
}

// TestPagerCannotGiveAwayAPrivateFrame: even the real pager may not map
// a task's private frame into another task or into itself, nor push a
// frame into a task that is not faulting there; a frame its owner shared
// may be mapped into another task, under the name it was shared with.
func TestPagerCannotGiveAwayAPrivateFrame(t *testing.T) {
	secret := []byte("the victim's secret")
	zeros := make([]byte, len(secret))
	cases := []struct {
		name           string
		share, stealAs uint64
		wantSteal      error
		wantRead       []byte
	}{
		{"private frame", 0, 0, ipc.ErrPerm, zeros},
		{"private frame, claimed shared", 0, 7, ipc.ErrPerm, zeros},
		{"shared frame", 7, 7, nil, secret},
		{"shared frame, under another name", 7, 8, ipc.ErrPerm, zeros},
	}
	for _, tc := range cases {
		for _, pl := range pagerPlacements {
			t.Run(tc.name+"/"+pl.name, func(t *testing.T) {
				k, err := kernel.New(kernel.Config{})
				require.NoError(t, err)
				p := &thiefPager{share: tc.share, stealAs: tc.stealAs}
				if pl.inKernel {
					_, err = k.Place("mm", p)
				} else {
					_, err = k.Declare("mm")
					k.Spawn(ipc.TaskSpec{Name: "mm", Body: func(sys ipc.Sys) { ipc.Serve(sys, "mm", p) }})
				}
				require.NoError(t, err)
				stored := false
				p.victim, _ = k.Spawn(ipc.TaskSpec{Name: "victim", Body: func(sys ipc.Sys) {
					assert.NoError(t, sys.Store(0x3000, secret))
					stored = true
					sys.Sleep(10_000_000)
				}})
				got := make([]byte, len(secret))
				p.thief, _ = k.Spawn(ipc.TaskSpec{Name: "thief", Body: func(sys ipc.Sys) {
					for !stored {
						sys.Sleep(100_000)
					}
					assert.NoError(t, sys.Load(0x7000, got))
				}})
				require.NoError(t, k.Run())
				require.Equal(t, 1, p.faultsByThief)
				assert.Equal(t, tc.wantSteal, errOrNil(p.stealErr), "mapping the victim's frame into the thief")
				assert.Equal(t, string(tc.wantRead), string(got), "what the thief read")
				assert.ErrorIs(t, p.pushErr, ipc.ErrPerm, "a fresh frame into a task with no fault there")
				if p.selfTried && tc.wantSteal != nil {
					assert.ErrorIs(t, p.selfErr, ipc.ErrPerm, "the victim's frame into the pager itself")
				}
				if tc.wantSteal != nil {
					assert.GreaterOrEqual(t, k.Stats().Denied, int64(2), "the refusals are counted")
				}
			})
		}
	}
}

// errOrNil returns err's errno, or nil.
func errOrNil(err error) error {
	if err == nil {
		return nil
	}
	return ipc.ErrnoOf(err)
}

// liarPager claims to resolve every fault: without mapping anything, or
// (readOnly) by mapping a read-only page, which never satisfies a write.
type liarPager struct {
	readOnly bool
	faults   int
}

func (p *liarPager) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type != ipc.PageFault {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	p.faults++
	if p.readOnly {
		a := ipc.VMRequest{Op: ipc.VMAlloc}
		if err := ctx.Sys.VM(&a); err != nil {
			return ipc.ErrorReply(req, ipc.ErrnoOf(err))
		}
		m := ipc.VMRequest{Op: ipc.VMMap, Task: ipc.Endpoint(req.Word(2)), VA: req.Word(0), Frame: a.Frame, Prot: ipc.ProtRead}
		if err := ctx.Sys.VM(&m); err != nil {
			return ipc.ErrorReply(req, ipc.ErrnoOf(err))
		}
	}
	return ipc.Reply(req)
}

// TestPagerThatSaysOKWithoutMapping: the task is faulted again a few
// times, then killed with SIGSEGV, and the trace says why; before, it
// faulted forever.
func TestPagerThatSaysOKWithoutMapping(t *testing.T) {
	cases := []struct {
		name     string
		readOnly bool
	}{{"nothing mapped", false}, {"read-only page for a write", true}}
	for _, tc := range cases {
		for _, pl := range pagerPlacements {
			t.Run(tc.name+"/"+pl.name, func(t *testing.T) {
				rec := &kernel.Recorder{}
				k, err := kernel.New(kernel.Config{Trace: rec, MaxTimeNs: 1_000_000_000})
				require.NoError(t, err)
				p := &liarPager{readOnly: tc.readOnly}
				if pl.inKernel {
					_, err = k.Place("mm", p)
				} else {
					_, err = k.Declare("mm")
					k.Spawn(ipc.TaskSpec{Name: "mm", Body: func(sys ipc.Sys) { ipc.Serve(sys, "mm", p) }})
				}
				require.NoError(t, err)
				after := false
				k.Spawn(ipc.TaskSpec{Name: "victim", Body: func(sys ipc.Sys) {
					_ = sys.Store(0x4000, []byte{1})
					after = true
				}})
				require.NoError(t, k.Run())
				assert.False(t, after, "the task does not go on")
				assert.Equal(t, 3, p.faults, "faults the pager saw")
				assert.Equal(t, int64(3), k.Stats().PageFaults)
				var cause, why string
				for _, e := range rec.Events {
					switch {
					case e.Kind == kernel.EvDeath && e.Name == "victim":
						cause = e.Detail
					case e.Kind == kernel.EvPageFault && strings.HasPrefix(e.Detail, "unresolved"):
						why = e.Detail
					}
				}
				assert.True(t, strings.HasPrefix(cause, "segmentation fault at 0x4000"), "cause = %q", cause)
				assert.Contains(t, why, "SIGSEGV")
			})
		}
	}
}
