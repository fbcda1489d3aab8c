//go:build linux

package boot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// The state ds and pm find again after a restart, when they are host
// processes killed from outside: ds's store stays with mkos (in memory,
// or in data_dir's file), and so does pm's table (in memory); each
// process reaches its state only through its window.

// TestProcessDSHostFaultsKeepData puts a key, breaks the ds process at
// its next request (SIGKILL from outside, a panic, a stack overflow, a
// forbidden system call), and reads the key back from the fresh process:
// the store, which the process reached only through its window, outlived
// it.
func TestProcessDSHostFaultsKeepData(t *testing.T) {
	for _, c := range []struct {
		name  string
		dir   bool
		fault procplace.HostFault
		cause string
	}{
		{"kill9, memory store", false, procplace.FaultKill9, "killed by SIGKILL"},
		{"kill9, file store in data_dir", true, procplace.FaultKill9, "killed by SIGKILL"},
		{"panic, memory store", false, procplace.FaultPanic, "exited with status 2: panic: injected host fault: panic"},
		{"stackoverflow, file store in data_dir", true, procplace.FaultStackOverflow, "goroutine stack exceeds"},
		{"syscall, memory store", false, procplace.FaultSyscall, "killed by SIGSYS (seccomp: socket)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fds := openFDs(t)
			cfg := boot.Default()
			cfg.Mode, cfg.Workload = boot.Micro, boot.WorkloadConf{}
			cfg.Isolation = boot.IsolationProcess
			cfg.Servers = []boot.ServerConf{{Name: "ds"}}
			if c.dir {
				cfg.DataDir = t.TempDir()
			}
			sys, err := boot.Boot(cfg, nil)
			require.NoError(t, err)
			var got string
			var putErr, getErr error
			var firstPID int
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "client", Body: func(s ipc.Sys) {
				cl, err := dsproto.Dial(s)
				if err != nil {
					getErr = err
					return
				}
				putErr = cl.Put("k", []byte("kept"))
				firstPID = sys.HostPID("ds")
				if err := sys.InjectHost("ds", c.fault); err != nil {
					getErr = err
					return
				}
				v, err := cl.Get("k") // the first attempt kills the process; the stub tries again
				got, getErr = string(v), err
			}})
			require.NoError(t, err)
			sum, err := sys.Run()
			require.NoError(t, err)
			require.NoError(t, putErr, "Put")
			require.NoError(t, getErr, "Get after the kill")
			assert.Equal(t, "kept", got, "Get(k) from the new ds process")
			require.Len(t, sum.Restarts, 1, "Restarts")
			assert.Contains(t, sum.Restarts[0].Cause, c.cause, "Restarts[0].Cause")
			assert.NotEqual(t, firstPID, sys.HostPID("ds"), "HostPID(ds) after the restart")
			require.NoError(t, sys.Close())
			assert.Empty(t, children(t), "server processes left after Close")
			assert.Equal(t, fds, openFDs(t), "open descriptors after Close")
		})
	}
}

// userSpaceInProcesses boots user space (pm, fs on a formatted disk, mm,
// pipes, memory devices; no ds: pm's table needs none) with every server
// in a host process.
func userSpaceInProcesses(t *testing.T) *boot.System {
	t.Helper()
	cfg := boot.Default()
	cfg.Isolation = boot.IsolationProcess
	cfg = boot.UserSpace(cfg)
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, sys.FormatDisk())
	for _, name := range []string{pmproto.Name, fsproto.Name} {
		require.True(t, sys.Config.InProcess(boot.ServerConf{Name: name}), "InProcess(%s)", name)
	}
	for _, s := range sys.Config.Servers {
		require.NotEqual(t, dsproto.Name, s.Name, "a server of user space in processes")
	}
	return sys
}

// TestProcessPMHostFaultsKeepTable spawns a program through a pm that is
// a host process (its body crosses as a recipe), kills that process
// (SIGKILL from outside, or os.Exit inside), and checks that the fresh pm
// knows the child — same pid, parent, group and task — and reports its
// exit status to the parent's wait.
func TestProcessPMHostFaultsKeepTable(t *testing.T) {
	for _, c := range []struct {
		fault procplace.HostFault
		cause string
	}{
		{procplace.FaultKill9, "killed by SIGKILL"},
		{procplace.FaultExit, "exited with status 3"},
	} {
		t.Run(c.fault.String(), func(t *testing.T) { pmHostFault(t, c.fault, c.cause) })
	}
}

func pmHostFault(t *testing.T, fault procplace.HostFault, cause string) {
	fds := openFDs(t)
	sys := userSpaceInProcesses(t)
	var (
		pid, waited     int
		status          linux.WaitStatus
		before, after   []pmproto.ProcInfo
		firstPID        int
		spawnErr, psErr error
		waitErr         error
	)
	_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "parent", Body: func(s ipc.Sys) {
		c, err := pmproto.Dial(s)
		if err != nil {
			spawnErr = err
			return
		}
		pid, spawnErr = c.Spawn("/bin/sh", []string{"sh", "-c", "sleep 1; exit 7"}, nil, nil)
		if spawnErr != nil {
			return
		}
		before, _ = c.Ps()
		firstPID = sys.HostPID(pmproto.Name)
		if psErr = sys.InjectHost(pmproto.Name, fault); psErr != nil {
			return
		}
		psErr = retried(func() (err error) { after, err = c.Ps(); return err })
		waitErr = retried(func() (err error) { waited, status, err = c.Wait(pid, 0); return err })
	}})
	require.NoError(t, err)
	sum, err := sys.Run()
	require.NoError(t, err)
	require.NoError(t, spawnErr, "Spawn through pm in a process")
	require.NoError(t, psErr, "Ps after the kill")
	require.NoError(t, waitErr, "Wait after the kill")
	require.Len(t, sum.Restarts, 1, "Restarts")
	assert.Equal(t, pmproto.Name, sum.Restarts[0].Server, "Restarts[0].Server")
	assert.Contains(t, sum.Restarts[0].Cause, cause, "Restarts[0].Cause")
	assert.NotEqual(t, firstPID, sys.HostPID(pmproto.Name), "HostPID(pm) after the restart")
	assert.Equal(t, procLine(before, pid), procLine(after, pid), "the child's entry before and after pm's restart")
	assert.Equal(t, pid, waited, "Wait() pid")
	assert.True(t, status.Exited() && status.ExitStatus() == 7, "Wait() status = %#x, want exit 7", status)
	require.NoError(t, sys.Close())
	assert.Empty(t, children(t), "server processes left after Close")
	assert.Equal(t, fds, openFDs(t), "open descriptors after Close")
}
