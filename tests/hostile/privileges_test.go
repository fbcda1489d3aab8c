package hostile_test

// Attacks on privileges: each was open before the kernel checked a
// privilege record on every privileged call (kernel/priv.go) and boot gave
// every server its own (boot/privileges.go).

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel"
)

// An impostor registering a server's name would get a share of its
// requests: a write "acknowledged" by it is lost, and an impostor disk
// acknowledges journal writes it never makes.
func TestImpostorCannotRegisterAServersName(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		var got []byte
		var rerr error
		tg.program(t, "impostor", func(sys ipc.Sys) {
			for _, name := range []string{"fs", "disk", "mm", "pm", "rs", "pipe", "memdev", "echo"} {
				_, err := sys.Register(name)
				assert.ErrorIs(t, err, ipc.ErrPerm, "Register(%q)", name)
			}
			got, rerr = roundTrip(sys, "/f", []byte("acknowledged data"))
		})
		tg.run(t)
		assert.NoError(t, rerr)
		assert.Equal(t, "acknowledged data", string(got), "every write reached the real file server")
		assert.Contains(t, tg.deny.got, "impostor: register fs", "the denial is in the trace")
	})
}

// The pager's kernel call reads and maps any frame: only the configured
// pager may make it.
func TestVMIsThePagersAlone(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		tg.program(t, "pager", func(sys ipc.Sys) {
			_, err := sys.Register("mm")
			assert.ErrorIs(t, err, ipc.ErrPerm)
			buf := make([]byte, ipc.PageSize)
			for _, op := range []ipc.VMOp{ipc.VMFrames, ipc.VMReadFrame, ipc.VMWriteFrame, ipc.VMAlloc, ipc.VMMap} {
				err := sys.VM(&ipc.VMRequest{Op: op, Frame: 1, Task: sys.Self(), Buf: buf})
				assert.ErrorIs(t, err, ipc.ErrPerm, "VM op %d", op)
			}
		})
		tg.run(t)
	})
}

// A program that kills whatever it can find: init, the servers, the
// kernel threads of servers placed in the kernel (in mono, killing the
// disk's hung all disk I/O forever).
func TestProgramsCannotKillOtherTasks(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		var before, after int
		var got []byte
		var rerr error
		tg.program(t, "killer", func(sys ipc.Sys) {
			_, _ = roundTrip(sys, "/warm", []byte("x")) // everyone is up
			before = len(tg.Kernel.Tasks())
			for slot := uint32(1); slot < 64; slot++ {
				for gen := uint32(1); gen < 8; gen++ {
					ep := ipc.TaskEndpoint(slot, gen)
					if ep == sys.Self() {
						continue
					}
					err := sys.Kill(ep)
					assert.True(t, err == ipc.ErrPerm || err == ipc.ErrDead, "Kill(%v) = %v, want EPERM or ESRCH", ep, err)
				}
			}
			after = len(tg.Kernel.Tasks())
			got, rerr = roundTrip(sys, "/f", []byte("still here"))
		})
		tg.run(t)
		assert.Equal(t, before, after, "no task died")
		assert.NoError(t, rerr)
		assert.Equal(t, "still here", string(got))
	})
}

// Stealing rs's death notices left fs and disk never restarted again,
// every file call failing with EAGAIN, while svc list said "up".
func TestSuperviseIsRSOnly(t *testing.T) {
	for _, m := range modes[:2] {
		t.Run(string(m), func(t *testing.T) {
			tg := bootOS(t, m)
			var got []byte
			var rerr, cerr error
			tg.program(t, "thief", func(sys ipc.Sys) {
				assert.ErrorIs(t, sys.Supervise(), ipc.ErrPerm)
				_, ok := sys.NextDeath()
				assert.False(t, ok, "no death notices for a program")
				rs, err := rsproto.Dial(sys)
				if assert.NoError(t, err) {
					cerr = rs.Inject("disk", ipc.InjectCrash, 0) // root may, through rs
				}
				got, rerr = roundTrip(sys, "/f", []byte("after the crash"))
			})
			tg.run(t)
			assert.NoError(t, cerr)
			assert.NoError(t, rerr, "rs restarted the disk driver")
			assert.Equal(t, "after the crash", string(got))
			assert.Positive(t, tg.Kernel.Services()[serviceIndex(tg.Kernel, "disk")].Stats.Restarts, "disk restarted")
		})
	}
}

func serviceIndex(k *kernel.Kernel, name string) int {
	for i, si := range k.Services() {
		if si.Name == name {
			return i
		}
	}
	return -1
}

// Any program could crash any server; in mono that halted the system.
// The kernel call is rs's and the fault controller's; rs arms a fault
// for root only.
func TestInjectIsForRSAndRoot(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		var got []byte
		var rerr error
		tg.program(t, "crasher", func(sys ipc.Sys) {
			assert.ErrorIs(t, sys.Inject("fs", ipc.InjectCrash, 0), ipc.ErrPerm)
			got, rerr = roundTrip(sys, "/f", []byte("not crashed"))
		})
		tg.programAs(t, "user-crasher", func(sys ipc.Sys) {
			rs, err := rsproto.Dial(sys)
			if assert.NoError(t, err) {
				assert.ErrorIs(t, rs.Inject("fs", ipc.InjectCrash, 0), ipc.ErrPerm, "rs arms faults for root only")
				assert.ErrorIs(t, rs.Stop("fs"), ipc.ErrPerm, "and stops services for root only")
			}
		})
		tg.run(t)
		assert.NoError(t, rerr)
		assert.Equal(t, "not crashed", string(got))
		assert.Zero(t, tg.Kernel.Stats().Injected)
	})
}

// Calling the disk driver read and overwrote any block, bypassing fs.
func TestDiskAdmitsOnlyTheFileServer(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		tg.program(t, "raw", func(sys ipc.Sys) {
			dst, err := ipc.Dial(sys, diskproto.Name)
			if !assert.NoError(t, err) {
				return
			}
			buf := make([]byte, 4096)
			c := diskproto.Client{Sys: sys, Dst: dst}
			assert.ErrorIs(t, c.ReadBlocks(0, 1, buf), ipc.ErrPerm, "read the superblock")
			assert.ErrorIs(t, c.WriteBlocks(0, 1, buf), ipc.ErrPerm, "overwrite the superblock")
			for _, in := range tg.Kernel.Services()[serviceIndex(tg.Kernel, diskproto.Name)].Instances {
				c.Dst = in // the driver's task, not its service
				assert.ErrorIs(t, c.WriteBlocks(0, 1, buf), ipc.ErrPerm, "overwrite through the task endpoint")
			}
		})
		tg.run(t) // fsck clean: the superblock is intact
	})
}

// Raw Spawn bypassed pm's limits and took any priority.
func TestRawSpawnIsPMs(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		ran := false
		tg.program(t, "forker", func(sys ipc.Sys) {
			_, err := sys.Spawn(ipc.TaskSpec{Name: "child", Body: func(ipc.Sys) { ran = true }})
			assert.ErrorIs(t, err, ipc.ErrPerm)
			pmc, err := pmproto.Dial(sys)
			if assert.NoError(t, err) {
				pid, err := pmc.Spawn("/bin/true", []string{"true"}, nil, nil)
				assert.NoError(t, err, "pm spawns, within its limits")
				assert.Positive(t, pid)
			}
		})
		tg.run(t)
		assert.False(t, ran)
	})
}

// A program posting notification bits forges signals (SIGKILL to init)
// and interrupts.
func TestProgramsCannotForgeNotifications(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		var initEp ipc.Endpoint
		alive := false
		tg.program(t, "init", func(sys ipc.Sys) {
			pmc, _ := pmproto.Dial(sys)
			_, _ = pmc.Ps() // pm adopts it first: pid 1
			_ = sys.Sleep(10e6)
			alive = true
		})
		tg.program(t, "forger", func(sys ipc.Sys) {
			_ = sys.Sleep(1e6)
			pmc, err := pmproto.Dial(sys)
			if !assert.NoError(t, err) {
				return
			}
			ps, err := pmc.Ps()
			assert.NoError(t, err)
			for _, p := range ps {
				if p.Pid == 1 {
					initEp = p.Task
				}
			}
			assert.ErrorIs(t, sys.Notify(initEp, pmproto.SignalBit(9)), ipc.ErrPerm)
			assert.NoError(t, sys.Notify(initEp, 0), "asking whether a task lives is allowed")
			pmEp, err := ipc.Dial(sys, pmproto.Name)
			if assert.NoError(t, err) {
				assert.ErrorIs(t, sys.Notify(pmEp, 1), ipc.ErrPerm, "a program may not notify a service (a driver's interrupt)")
			}
		})
		tg.run(t)
		assert.NotZero(t, initEp)
		assert.True(t, alive, "init lived to the end of its sleep")
	})
}

// Credentials are pm's to set: a program cannot make itself root.
func TestProgramsCannotSetCredentials(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		var after ipc.Cred
		tg.programAs(t, "setuid", func(sys ipc.Sys) {
			assert.ErrorIs(t, sys.SetCred(sys.Self(), ipc.Root), ipc.ErrPerm)
			root := ipc.Root
			_, err := sys.Spawn(ipc.TaskSpec{Name: "rootkid", Cred: &root, Body: func(ipc.Sys) {}})
			assert.ErrorIs(t, err, ipc.ErrPerm)
			after, _ = sys.Cred(sys.Self())
		})
		tg.run(t)
		assert.Equal(t, ipc.Cred{UID: 1000, GID: 1000}, after)
	})
}

// A live update's messages would read a server's state (fs's: every
// process's descriptors and cached blocks) or force one on it, and its
// kernel call would hold a service forever: a program can do none of it
// (asking rs, as root, is the way: servers/rs/update_test.go).
func TestProgramsCannotTakeOrForceAServersState(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		var got []byte
		var rerr error
		tg.program(t, "thief", func(sys ipc.Sys) {
			_, _ = roundTrip(sys, "/secret", []byte("x")) // everyone is up
			buf := make([]byte, ipc.MaxBulk)
			for _, si := range tg.Kernel.Services() {
				for _, ep := range append(si.Instances, ipc.ServiceEndpoint(si.ID)) {
					for _, typ := range []ipc.Type{ipc.StateGet, ipc.StatePut} {
						var rep ipc.Message
						err := sys.CallWith(ep, &ipc.Message{Type: typ}, &rep, &ipc.Extra{Send: buf[:64], Recv: buf})
						assert.True(t, err == ipc.ErrPerm || err == ipc.ErrInvalid, "%v to %s (%v) = %v, want EPERM or EINVAL", typ, si.Name, ep, err)
					}
				}
				for _, step := range []ipc.UpdateStep{ipc.UpdateHold, ipc.UpdateCommit, ipc.UpdateAbort} {
					assert.ErrorIs(t, sys.Update(si.Name, step, 0, 0), ipc.ErrPerm, "Update(%s, %v)", si.Name, step)
				}
			}
			got, rerr = roundTrip(sys, "/f", []byte("still served"))
		})
		tg.run(t)
		assert.NoError(t, rerr)
		assert.Equal(t, "still served", string(got))
		assert.Contains(t, tg.deny.got, "thief: update fs", "the denial is in the trace")
		assert.Contains(t, tg.deny.got, "thief: update stateget", "the denial is in the trace")
	})
}
