package pm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/ulib"
)

// ended is what one wait returned.
type ended struct {
	pid int
	ws  linux.WaitStatus
	err error
}

func waitOne(p *ulib.Proc, pid, options int) ended {
	got, ws, err := p.Waitpid(pid, options)
	return ended{got, ws, err}
}

func TestSpawnAndWaitStatus(t *testing.T) {
	for _, c := range []struct {
		name string
		argv []string
		want linux.WaitStatus
	}{
		{"true", []string{"/bin/true"}, pmproto.Exited(0)},
		{"false", []string{"/bin/false"}, pmproto.Exited(1)},
		{"exit 3", []string{"/bin/exit", "3"}, pmproto.Exited(3)},
		{"exit 300 keeps 8 bits", []string{"/bin/exit", "300"}, pmproto.Exited(300 & 0xff)},
		{"ulib.Exit", []string{"/bin/ulibexit"}, pmproto.Exited(7)},
		{"panic", []string{"/bin/panic"}, pmproto.Signaled(linux.SIGSEGV)},
		{"kill self with SIGTERM", []string{"/bin/selfterm"}, pmproto.Signaled(linux.SIGTERM)},
	} {
		t.Run(c.name, func(t *testing.T) {
			forPlacements(t, func(t *testing.T, pl string) {
				var self, pid int
				var got ended
				runInit(t, pl, func(p *ulib.Proc) {
					self, _ = p.Getpid()
					var err error
					pid, err = p.Spawn(c.argv[0], c.argv, nil, nil)
					assert.NoError(t, err)
					got = waitOne(p, pid, 0)
				})
				assert.Equal(t, 1, self, "init's pid")
				assert.Equal(t, 2, pid, "the first child's pid")
				assert.Equal(t, ended{pid: 2, ws: c.want}, got)
			})
		})
	}
}

func TestWaitAnyInOrderOfEnding(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var got []ended
		runInit(t, pl, func(p *ulib.Proc) {
			for _, d := range []string{"3ms", "1ms", "2ms"} {
				_, err := p.Spawn("/bin/sleep", []string{"sleep", d}, nil, nil)
				assert.NoError(t, err)
			}
			for range 4 {
				got = append(got, waitOne(p, -1, 0))
			}
		})
		assert.Equal(t, []ended{
			{pid: 3, ws: pmproto.Exited(0)}, {pid: 4, ws: pmproto.Exited(0)}, {pid: 2, ws: pmproto.Exited(0)},
			{err: linux.ECHILD},
		}, got)
	})
}

func TestWaitNoHang(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var before, after ended
		var pid int
		runInit(t, pl, func(p *ulib.Proc) {
			pid, _ = p.Spawn("/bin/sleep", []string{"sleep", "1ms"}, nil, nil)
			before = waitOne(p, pid, pmproto.WNOHANG)
			_ = p.Sleep(2 * ms)
			after = waitOne(p, pid, pmproto.WNOHANG)
		})
		assert.Equal(t, ended{}, before, "WNOHANG before the child ended")
		assert.Equal(t, ended{pid: pid, ws: pmproto.Exited(0)}, after, "WNOHANG after")
	})
}

func TestWaitErrors(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var none, notMine, badOpt, group ended
		runInit(t, pl, func(p *ulib.Proc) {
			none = waitOne(p, -1, 0)
			notMine = waitOne(p, 99, 0)
			pid, _ := p.Spawn("/bin/true", nil, nil, nil)
			badOpt = waitOne(p, pid, 0x100)
			group = waitOne(p, -77, 0)
			waitOne(p, pid, 0)
		})
		assert.ErrorIs(t, none.err, linux.ECHILD, "no children")
		assert.ErrorIs(t, notMine.err, linux.ECHILD, "not a child")
		assert.ErrorIs(t, badOpt.err, linux.EINVAL, "unknown option")
		assert.ErrorIs(t, group.err, linux.ECHILD, "no child in that group")
	})
}

func TestZombieUntilWaited(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var zombie, reaped []pmproto.ProcInfo
		runInit(t, pl, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/exit", []string{"exit", "5"}, nil, nil)
			_ = p.Sleep(ms)
			zombie, _ = p.Ps()
			waitOne(p, pid, 0)
			reaped, _ = p.Ps()
		})
		if assert.Len(t, zombie, 2) {
			assert.Equal(t, pmproto.Zombie, zombie[1].State)
			assert.Equal(t, pmproto.Exited(5), zombie[1].Status)
		}
		assert.Len(t, reaped, 1, "the zombie is gone once waited for")
	})
}

func TestOrphansGoToInit(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var orphan pmproto.ProcInfo
		var got ended
		runInit(t, pl, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/orphaner", nil, nil, nil)
			waitOne(p, pid, 0)
			ps, _ := p.Ps()
			if assert.Len(t, ps, 2) {
				orphan = ps[1]
			}
			got = waitOne(p, -1, 0) // init reaps the orphan
		})
		assert.Equal(t, 3, orphan.Pid)
		assert.Equal(t, 1, orphan.Ppid, "the orphan's parent is init")
		assert.Equal(t, ended{pid: 3, ws: pmproto.Exited(0)}, got)
	})
}

func TestIgnoredSIGCHLDLeavesNoZombies(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var got ended
		var ps []pmproto.ProcInfo
		runInit(t, pl, func(p *ulib.Proc) {
			assert.NoError(t, p.Ignore(linux.SIGCHLD))
			_, _ = p.Spawn("/bin/true", nil, nil, nil)
			_, _ = p.Spawn("/bin/sleep", []string{"sleep", "1ms"}, nil, nil)
			_ = p.Sleep(ms / 2)
			ps, _ = p.Ps()
			got = waitOne(p, -1, 0) // blocks until the last child is gone
		})
		assert.Len(t, ps, 2, "init and the sleeper; true left no zombie")
		assert.ErrorIs(t, got.err, linux.ECHILD)
	})
}

func TestDeathBehindPMsBack(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var got ended
		s := boot(t, pl, pm.Options{})
		s.init(t, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/spin", nil, nil, nil)
			_ = p.Sleep(ms)
			ps, _ := p.Ps()
			for _, info := range ps {
				if info.Pid == pid {
					assert.ErrorIs(t, p.Sys.Kill(info.Task), ipc.ErrPerm, "a program has no Kill privilege")
					_, err := s.k.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
						assert.NoError(t, sys.Kill(info.Task), "kill the task without asking pm")
					}})
					assert.NoError(t, err)
				}
			}
			_ = p.Sleep(ms) // the killer runs
			got = waitOne(p, pid, 0)
		})
		assert.Equal(t, ended{pid: 2, ws: pmproto.Signaled(linux.SIGKILL)}, got)
	})
}

// A parent already blocked in wait learns at once of a child killed
// behind pm's back: the kernel tells pm (ipc.ExitWatcher), though the
// child never called pm itself.
func TestWaitingParentHearsOfAChildKilledBehindPMsBack(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var got ended
		s := boot(t, pl, pm.Options{})
		s.init(t, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/spin", nil, nil, nil)
			_ = p.Sleep(ms)
			ps, _ := p.Ps()
			for _, info := range ps {
				if info.Pid == pid {
					_, err := s.k.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
						_ = sys.Sleep(ms) // init is waiting by then
						assert.NoError(t, sys.Kill(info.Task))
					}})
					assert.NoError(t, err)
				}
			}
			got = waitOne(p, pid, 0)
		})
		assert.Equal(t, ended{pid: 2, ws: pmproto.Signaled(linux.SIGKILL)}, got)
	})
}
