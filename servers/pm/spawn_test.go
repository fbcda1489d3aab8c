package pm_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/ulib"
)

func TestSpawnErrors(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		errs := map[string]error{}
		runInit(t, pl, func(p *ulib.Proc) {
			_, errs["unknown program"] = p.Spawn("/bin/nope", nil, nil, nil)
			_, errs["empty path"] = p.Spawn("", nil, nil, nil)
			_, errs["argv too big"] = p.Spawn("/bin/true", []string{strings.Repeat("x", ipc.MaxBulk)}, nil, nil)
		})
		assert.ErrorIs(t, errs["unknown program"], linux.ENOENT)
		assert.ErrorIs(t, errs["empty path"], linux.EINVAL)
		assert.ErrorIs(t, errs["argv too big"], linux.E2BIG)
	})
}

// files is a file system that has the paths in it.
type files map[string]bool

func (f files) Exists(_ ipc.Sys, path string) bool { return f[path] }

func TestFilesHook(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		errs := map[string]error{}
		s := boot(t, pl, pm.Options{Files: files{"/bin/true": true, "/etc/motd": true}})
		s.init(t, func(p *ulib.Proc) {
			var pid int
			pid, errs["in both"] = p.Spawn("/bin/true", nil, nil, nil)
			_, errs["not in the file system"] = p.Spawn("/bin/false", nil, nil, nil)
			_, errs["no code for the file"] = p.Spawn("/etc/motd", nil, nil, nil)
			waitOne(p, pid, 0)
		})
		assert.NoError(t, errs["in both"])
		assert.ErrorIs(t, errs["not in the file system"], linux.ENOENT)
		assert.ErrorIs(t, errs["no code for the file"], linux.ENOEXEC)
	})
}

func TestArgvEnvAndFds(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var fds ended
		s := boot(t, pl, pm.Options{})
		s.init(t, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/fds", nil, nil, &pmproto.SpawnAttr{Fds: []int{0, 1, 2, 40}})
			fds = waitOne(p, pid, 0)
			pid, _ = p.Spawn("/bin/echo", []string{"echo", "hello,", "world"}, []string{"HOME=/"}, nil)
			waitOne(p, pid, 0)
			pid, _ = p.Spawn("/bin/echo", nil, nil, nil) // argv defaults to [path]
			waitOne(p, pid, 0)
			pid, _ = p.Spawn("/bin/env", []string{"env", "a"}, []string{"HOME=/", "TERM=vt100"}, nil)
			waitOne(p, pid, 0)
		})
		assert.Equal(t, ended{pid: 2, ws: pmproto.Exited(43)}, fds, "the child got its descriptors")
		assert.Equal(t, "hello, world\n\n[env a] HOME=/ TERM=vt100\n", s.out.String())
	})
}

func TestPsListing(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var ps []pmproto.ProcInfo
		var psOut string
		s := boot(t, pl, pm.Options{})
		s.init(t, func(p *ulib.Proc) {
			sleeper, _ := p.Spawn("/bin/sleep", []string{"sleep", "1"}, nil, &pmproto.SpawnAttr{Flags: pmproto.SpawnSetPgroup})
			done, _ := p.Spawn("/bin/exit", []string{"exit", "9"}, nil, nil)
			_ = p.Sleep(ms)
			ps, _ = p.Ps()
			lister, _ := p.Spawn("/bin/ps", nil, nil, nil)
			waitOne(p, lister, 0)
			psOut = s.out.String()
			waitOne(p, done, 0)
			_ = p.Kill(sleeper, linux.SIGKILL)
			waitOne(p, sleeper, 0)
		})
		for i := range ps {
			assert.Positive(t, ps[i].CPUNs, "%s: CPU time (a live one's from the kernel, a zombie's from its exit)", ps[i].Name)
			ps[i].StartNs, ps[i].Task, ps[i].CPUNs = 0, 0, 0 // placement-dependent
		}
		assert.Equal(t, []pmproto.ProcInfo{
			{Pid: 1, Ppid: 0, Pgid: 1, State: pmproto.Running, Name: "init"},
			{Pid: 2, Ppid: 1, Pgid: 2, State: pmproto.Running, Name: "sleep"},
			{Pid: 3, Ppid: 1, Pgid: 1, State: pmproto.Zombie, Status: pmproto.Exited(9), Name: "exit"},
		}, ps)
		assert.Equal(t, `  PID  PPID  PGID S COMMAND
    1     0     1 S init
    2     1     2 R sleep
    3     1     1 Z exit
    4     1     1 R ps
`, psOut, "init waits for ps while ps lists")
	})
}

func TestAdoptedTasks(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		var ids [2]pmproto.Ids
		var after []pmproto.ProcInfo
		s := boot(t, pl, pm.Options{})
		_, err := s.k.Spawn(ipc.TaskSpec{Name: "first", Body: func(sys ipc.Sys) {
			c, _ := pmproto.Dial(sys)
			ids[0], _ = c.Getpid()
			_ = sys.Sleep(ms)
			ulib.New(sys).Exit(0)
		}})
		assert.NoError(t, err)
		_, err = s.k.Spawn(ipc.TaskSpec{Name: "second", Body: func(sys ipc.Sys) {
			p := ulib.New(sys)
			ids[1], _ = mustDial(t, sys).Getpid()
			_ = p.Sleep(2 * ms)
			after, _ = p.Ps()
		}})
		assert.NoError(t, err)
		assert.NoError(t, s.k.Run())
		assert.Equal(t, [2]pmproto.Ids{{Pid: 1, Ppid: 0, Pgid: 1}, {Pid: 2, Ppid: 0, Pgid: 2}}, ids)
		if assert.Len(t, after, 1, "the first exited with no parent to wait: reaped at once") {
			assert.Equal(t, 2, after[0].Pid)
			assert.True(t, strings.HasPrefix(after[0].Name, "task "), "named after its endpoint: %q", after[0].Name)
		}
	})
}

func mustDial(t *testing.T, sys ipc.Sys) pmproto.Client {
	c, err := pmproto.Dial(sys)
	assert.NoError(t, err)
	return c
}

func TestDeterministicRuns(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		run := func() []pmproto.ProcInfo {
			var ps []pmproto.ProcInfo
			runInit(t, pl, func(p *ulib.Proc) {
				for i := range 5 {
					_, _ = p.Spawn("/bin/sleep", []string{"sleep", "1ms"}, nil, nil)
					_, _ = p.Spawn("/bin/exit", []string{"exit", string(rune('0' + i))}, nil, nil)
				}
				_ = p.Sleep(ms / 2)
				ps, _ = p.Ps()
				for {
					if _, _, err := p.Wait(); err != nil {
						break
					}
				}
			})
			return ps
		}
		first := run()
		assert.Len(t, first, 11)
		assert.Equal(t, first, run(), "same config, same pids, states and times")
	})
}
