package pm_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/sys/unix"

	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/ulib"
)

func TestDefaultActions(t *testing.T) {
	for _, c := range []struct {
		sig      unix.Signal
		survives bool
	}{
		{unix.SIGKILL, false},
		{unix.SIGTERM, false},
		{unix.SIGINT, false},
		{unix.SIGUSR1, false},
		{unix.SIGCHLD, true},
		{unix.SIGWINCH, true},
		{unix.SIGSTOP, true}, // stopping is not modelled
	} {
		t.Run(unix.SignalName(c.sig), func(t *testing.T) {
			forPlacements(t, func(t *testing.T, pl string) {
				var early, got ended
				runInit(t, pl, func(p *ulib.Proc) {
					pid, _ := p.Spawn("/bin/spin", nil, nil, nil)
					_ = p.Sleep(ms)
					assert.NoError(t, p.Kill(pid, c.sig))
					_ = p.Sleep(ms)
					early = waitOne(p, pid, pmproto.WNOHANG)
					got = early
					if c.survives {
						assert.NoError(t, p.Kill(pid, unix.SIGKILL))
						got = waitOne(p, pid, 0)
					}
				})
				want := ended{pid: 2, ws: pmproto.Signaled(c.sig)}
				if c.survives {
					assert.Equal(t, ended{}, early, "still running after %v", c.sig)
					want.ws = pmproto.Signaled(unix.SIGKILL)
				}
				assert.Equal(t, want, got)
			})
		})
	}
}

func TestHandlerRunsInTheLibrary(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var got ended
		runInit(t, pl, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/catch", nil, nil, nil)
			_ = p.Sleep(ms) // let it install its handler
			assert.NoError(t, p.Kill(pid, unix.SIGINT))
			got = waitOne(p, pid, 0)
		})
		assert.Equal(t, ended{pid: 2, ws: pmproto.Exited(41)}, got, "the handler ran once and the program went on")
	})
}

// A caught signal interrupts a wait blocked at pm; the library runs the
// handler and waits again.
func TestHandlerInterruptsWait(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var usr1, chld int
		var first, second ended
		runInit(t, pl, func(p *ulib.Proc) {
			assert.NoError(t, p.Signal(unix.SIGUSR1, func(*ulib.Proc, unix.Signal) { usr1++ }))
			assert.NoError(t, p.Signal(unix.SIGCHLD, func(*ulib.Proc, unix.Signal) { chld++ }))
			sleeper, _ := p.Spawn("/bin/sleep", []string{"sleep", "5ms"}, nil, nil)
			_, _ = p.Spawn("/bin/usr1", nil, nil, nil)
			first = waitOne(p, sleeper, 0) // interrupted by SIGUSR1 and SIGCHLD from usr1's end
			second = waitOne(p, -1, 0)
		})
		assert.Equal(t, ended{pid: 2, ws: pmproto.Exited(0)}, first)
		assert.Equal(t, ended{pid: 3, ws: pmproto.Exited(0)}, second)
		assert.Equal(t, 1, usr1, "SIGUSR1 handler runs")
		assert.Equal(t, 2, chld, "one SIGCHLD per child: they end at different times")
	})
}

func TestKillProcessGroup(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var got []ended
		var group []int
		runInit(t, pl, func(p *ulib.Proc) {
			leader, _ := p.Spawn("/bin/spin", nil, nil, &pmproto.SpawnAttr{Flags: pmproto.SpawnSetPgroup})
			member, _ := p.Spawn("/bin/spin", nil, nil, &pmproto.SpawnAttr{Flags: pmproto.SpawnSetPgroup, Pgroup: leader})
			late, _ := p.Spawn("/bin/spin", nil, nil, nil)
			assert.NoError(t, p.Setpgid(late, leader), "a child joins the job's group")
			outsider, _ := p.Spawn("/bin/spin", nil, nil, nil)
			for _, pid := range []int{leader, member, late, outsider} {
				g, _ := p.Getpgid(pid)
				group = append(group, g)
			}
			_ = p.Sleep(ms)
			assert.NoError(t, p.Kill(-leader, unix.SIGINT))
			for range 3 {
				got = append(got, waitOne(p, -leader, 0))
			}
			got = append(got, waitOne(p, outsider, pmproto.WNOHANG))
			assert.NoError(t, p.Kill(outsider, unix.SIGKILL))
			waitOne(p, outsider, 0)
		})
		assert.Equal(t, []int{2, 2, 2, 1}, group)
		int2 := pmproto.Signaled(unix.SIGINT)
		assert.Equal(t, []ended{{pid: 2, ws: int2}, {pid: 3, ws: int2}, {pid: 4, ws: int2}, {}}, got)
	})
}

func TestKillErrors(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		errs := map[string]error{}
		runInit(t, pl, func(p *ulib.Proc) {
			errs["no such pid"] = p.Kill(99, unix.SIGTERM)
			errs["no such group"] = p.Kill(-99, unix.SIGTERM)
			errs["bad signal"] = p.Kill(1, 64)
			errs["probe init"] = p.Kill(1, 0)
			errs["catch SIGKILL"] = p.Signal(unix.SIGKILL, func(*ulib.Proc, unix.Signal) {})
			errs["ignore SIGSTOP"] = p.Ignore(unix.SIGSTOP)
			errs["init shrugs off SIGTERM"] = p.Kill(1, unix.SIGTERM)
			errs["and SIGKILL"] = p.Kill(1, unix.SIGKILL)
		})
		for name, want := range map[string]error{
			"no such pid": unix.ESRCH, "no such group": unix.ESRCH, "bad signal": unix.EINVAL,
			"catch SIGKILL": unix.EINVAL, "ignore SIGSTOP": unix.EINVAL,
		} {
			assert.ErrorIs(t, errs[name], want, name)
		}
		for _, name := range []string{"probe init", "init shrugs off SIGTERM", "and SIGKILL"} {
			assert.NoError(t, errs[name], name)
		}
	})
}

func TestSetpgidErrors(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		errs := map[string]error{}
		runInit(t, pl, func(p *ulib.Proc) {
			child, _ := p.Spawn("/bin/spin", nil, nil, nil)
			errs["not a child"] = p.Setpgid(99, 0)
			errs["no such group"] = p.Setpgid(child, 55)
			errs["negative"] = p.Setpgid(-1, 0)
			_, errs["spawn into no group"] = p.Spawn("/bin/true", nil, nil, &pmproto.SpawnAttr{Flags: pmproto.SpawnSetPgroup, Pgroup: 55})
			_, errs["getpgid of nobody"] = p.Getpgid(99)
			errs["own group"] = p.Setpgid(child, 0)
			_ = p.Kill(child, unix.SIGKILL)
			waitOne(p, child, 0)
		})
		for name, want := range map[string]error{
			"not a child": unix.ESRCH, "no such group": unix.EPERM, "negative": unix.EINVAL,
			"spawn into no group": unix.EPERM, "getpgid of nobody": unix.ESRCH,
		} {
			assert.ErrorIs(t, errs[name], want, name)
		}
		assert.NoError(t, errs["own group"])
	})
}

func TestKillProgram(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var killer, victim, missing ended
		s := boot(t, pl, pm.Options{})
		s.init(t, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/spin", nil, nil, nil)
			k, _ := p.Spawn("/bin/kill", []string{"kill", "-INT", strconv.Itoa(pid)}, nil, nil)
			killer = waitOne(p, k, 0)
			victim = waitOne(p, pid, 0)
			k, _ = p.Spawn("/bin/kill", []string{"kill", "99"}, nil, nil)
			missing = waitOne(p, k, 0)
		})
		assert.Equal(t, ended{pid: 3, ws: pmproto.Exited(0)}, killer)
		assert.Equal(t, ended{pid: 2, ws: pmproto.Signaled(unix.SIGINT)}, victim)
		assert.Equal(t, ended{pid: 4, ws: pmproto.Exited(1)}, missing)
		assert.Equal(t, "kill: (99) - no such process\n", s.out.String())
	})
}
