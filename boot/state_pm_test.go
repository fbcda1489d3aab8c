package boot_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// retried makes a pm request again while the pm it reached died under it
// or has not come back yet, as the system-call library does.
func retried(f func() error) error {
	var err error
	for range 20 {
		if err = f(); !errors.Is(err, linux.ECONNRESET) && !errors.Is(err, linux.EAGAIN) {
			return err
		}
	}
	return err
}

// TestPMTableSurvivesPMCrashWhileDSIsDown: pm's process table does not
// depend on ds. With ds hung (it stops answering at its next request),
// a parent spawns a child through pm (a task), pm crashes, and the
// restarted pm still knows the child: ps lists it as before and the
// parent's wait gets its exit status, not ECHILD. A table kept in ds
// would have lost the spawn pm could not write there.
func TestPMTableSurvivesPMCrashWhileDSIsDown(t *testing.T) {
	cfg := boot.UserSpace(boot.Default())
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name}, boot.ServerConf{Name: dsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	defer sys.Close()
	require.NoError(t, sys.FormatDisk())
	var (
		pid, waited            int
		status                 linux.WaitStatus
		before, after          []pmproto.ProcInfo
		spawnErr, psErr, wErr  error
		hangErr, crashErr, dsE error
	)
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "parent", Body: func(s ipc.Sys) {
		c, err := pmproto.Dial(s)
		if err != nil {
			spawnErr = err
			return
		}
		if _, dsE = dsproto.Dial(s); dsE != nil {
			return
		}
		if hangErr = s.Inject(dsproto.Name, ipc.InjectHang, 0); hangErr != nil {
			return
		}
		pid, spawnErr = c.Spawn("/bin/sh", []string{"sh", "-c", "sleep 1; exit 7"}, nil, nil)
		if spawnErr != nil {
			return
		}
		before, _ = c.Ps()
		if crashErr = s.Inject(pmproto.Name, ipc.InjectCrash, 0); crashErr != nil {
			return
		}
		psErr = retried(func() (err error) { after, err = c.Ps(); return err })
		wErr = retried(func() (err error) { waited, status, err = c.Wait(pid, 0); return err })
	}})
	require.NoError(t, err)
	_, err = sys.Run()
	require.NoError(t, err)
	require.NoError(t, dsE, "Dial(ds)")
	require.NoError(t, hangErr, "Inject(ds, hang)")
	require.NoError(t, spawnErr, "Spawn with ds hung")
	require.NoError(t, crashErr, "Inject(pm, crash)")
	require.NoError(t, psErr, "Ps after pm's restart")
	require.NoError(t, wErr, "Wait after pm's restart")
	assert.Equal(t, procLine(before, pid), procLine(after, pid), "the child's entry before and after pm's restart")
	assert.NotEmpty(t, procLine(after, pid), "the child's entry after pm's restart")
	assert.Equal(t, pid, waited, "Wait() pid")
	assert.True(t, status.Exited() && status.ExitStatus() == 7, "Wait() status = %#x, want exit 7", status)
	assert.Contains(t, restarted(sys), pmproto.Name, "servers restarted")
}

// restarted lists the servers rs restarted, in order.
func restarted(sys *boot.System) []string {
	var names []string
	for _, r := range sys.Restarts {
		names = append(names, r.Server)
	}
	return names
}

// procLine is pid's entry as ps shows who it is: pid, parent, group,
// task and program; "" when there is none.
func procLine(procs []pmproto.ProcInfo, pid int) string {
	for _, p := range procs {
		if p.Pid == pid {
			return fmt.Sprintf("pid %d ppid %d pgid %d task %v %s", p.Pid, p.Ppid, p.Pgid, p.Task, p.Name)
		}
	}
	return ""
}
