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

// A pm that restarts with the same Store finds its table again: pids,
// parents and running children survive, and a wait blocked in the old pm
// is waited again in the new one by the library.
func TestRestartKeepsTheTable(t *testing.T) {
	store := pm.NewMemStore()
	s := boot(t, "user", pm.Options{Store: store})
	var restartErr error
	_, err := s.k.Spawn(ipc.TaskSpec{Name: "crasher", Body: func(sys ipc.Sys) {
		_ = sys.Sleep(2 * ms)
		restartErr = sys.Kill(s.pmTask)
		srv := pm.New(pm.Options{Store: store, Programs: testPrograms(s.out)})
		_, err := sys.Spawn(ipc.TaskSpec{Name: "pm", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, pmproto.Name, srv) }})
		assert.NoError(t, err)
	}})
	assert.NoError(t, err)
	var self pmproto.Ids
	var waited, killed ended
	var next int
	s.init(t, func(p *ulib.Proc) {
		sleeper, _ := p.Spawn("/bin/sleep", []string{"sleep", "5ms"}, nil, nil)
		spinner, _ := p.Spawn("/bin/spin", nil, nil, nil)
		waited = waitOne(p, sleeper, 0) // pm dies under this wait
		self.Pid, _ = p.Getpid()
		self.Ppid, _ = p.Getppid()
		assert.NoError(t, p.Kill(spinner, linux.SIGTERM))
		killed = waitOne(p, spinner, 0)
		next, _ = p.Spawn("/bin/true", nil, nil, nil)
		waitOne(p, next, 0)
	})
	assert.NoError(t, restartErr)
	assert.Equal(t, ended{pid: 2, ws: pmproto.Exited(0)}, waited)
	assert.Equal(t, ended{pid: 3, ws: pmproto.Signaled(linux.SIGTERM)}, killed)
	assert.Equal(t, pmproto.Ids{Pid: 1}, self)
	assert.Equal(t, 4, next, "pids go on from where the old pm left them")
}
