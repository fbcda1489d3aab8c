package pm_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/ulib"
)

func TestDefaultActions(t *testing.T) {
	for _, c := range []struct {
		sig      linux.Signal
		survives bool
	}{
		{linux.SIGKILL, false},
		{linux.SIGTERM, false},
		{linux.SIGINT, false},
		{linux.SIGUSR1, false},
		{linux.SIGCHLD, true},
		{linux.SIGWINCH, true},
		{linux.SIGSTOP, true}, // stopping is not modelled
	} {
		t.Run(linux.SignalName(c.sig), func(t *testing.T) {
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
						assert.NoError(t, p.Kill(pid, linux.SIGKILL))
						got = waitOne(p, pid, 0)
					}
				})
				want := ended{pid: 2, ws: pmproto.Signaled(c.sig)}
				if c.survives {
					assert.Equal(t, ended{}, early, "still running after %v", c.sig)
					want.ws = pmproto.Signaled(linux.SIGKILL)
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
			assert.NoError(t, p.Kill(pid, linux.SIGINT))
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
			assert.NoError(t, p.Signal(linux.SIGUSR1, func(*ulib.Proc, linux.Signal) { usr1++ }))
			assert.NoError(t, p.Signal(linux.SIGCHLD, func(*ulib.Proc, linux.Signal) { chld++ }))
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
			assert.NoError(t, p.Kill(-leader, linux.SIGINT))
			for range 3 {
				got = append(got, waitOne(p, -leader, 0))
			}
			got = append(got, waitOne(p, outsider, pmproto.WNOHANG))
			assert.NoError(t, p.Kill(outsider, linux.SIGKILL))
			waitOne(p, outsider, 0)
		})
		assert.Equal(t, []int{2, 2, 2, 1}, group)
		int2 := pmproto.Signaled(linux.SIGINT)
		assert.Equal(t, []ended{{pid: 2, ws: int2}, {pid: 3, ws: int2}, {pid: 4, ws: int2}, {}}, got)
	})
}

func TestKillErrors(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		errs := map[string]error{}
		runInit(t, pl, func(p *ulib.Proc) {
			errs["no such pid"] = p.Kill(99, linux.SIGTERM)
			errs["no such group"] = p.Kill(-99, linux.SIGTERM)
			errs["bad signal"] = p.Kill(1, 64)
			errs["probe init"] = p.Kill(1, 0)
			errs["catch SIGKILL"] = p.Signal(linux.SIGKILL, func(*ulib.Proc, linux.Signal) {})
			errs["ignore SIGSTOP"] = p.Ignore(linux.SIGSTOP)
			errs["init shrugs off SIGTERM"] = p.Kill(1, linux.SIGTERM)
			errs["and SIGKILL"] = p.Kill(1, linux.SIGKILL)
		})
		for name, want := range map[string]error{
			"no such pid": linux.ESRCH, "no such group": linux.ESRCH, "bad signal": linux.EINVAL,
			"catch SIGKILL": linux.EINVAL, "ignore SIGSTOP": linux.EINVAL,
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
			_ = p.Kill(child, linux.SIGKILL)
			waitOne(p, child, 0)
		})
		for name, want := range map[string]error{
			"not a child": linux.ESRCH, "no such group": linux.EPERM, "negative": linux.EINVAL,
			"spawn into no group": linux.EPERM, "getpgid of nobody": linux.ESRCH,
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
		assert.Equal(t, ended{pid: 2, ws: pmproto.Signaled(linux.SIGINT)}, victim)
		assert.Equal(t, ended{pid: 4, ws: pmproto.Exited(1)}, missing)
		assert.Equal(t, "kill: (99) - no such process\n", s.out.String())
	})
}
