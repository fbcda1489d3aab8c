package tests

// Transparent recovery of the file server under user programs (micro
// mode): reads go on across a crash, at the offset they had reached; a
// descriptor open for writing reports the crash clearly; a shell workload
// crash.d under repeatedly prints what it prints without a crash.

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	sysinit "github.com/mkos/mkos/user/init"
	"github.com/mkos/mkos/user/ulib"
)

const msNs = int64(1_000_000)

// bootMicro boots user space in micro mode, where rs restarts a crashed
// file server.
func bootMicro(t *testing.T) *boot.System {
	cfg := boot.Default()
	cfg.Mode = boot.Micro
	sys, err := bootUser(cfg)
	require.NoError(t, err)
	return sys
}

func TestDescriptorsSurviveAnFSCrash(t *testing.T) {
	sys := bootMicro(t)
	defer sys.Close()
	data := bytes.Repeat([]byte("0123456789abcdef"), 20_000) // 320 KB: several reads
	var got []byte
	var writeErr, staleErr error
	var wrote []byte
	_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "reader", Body: func(s ipc.Sys) {
		p := ulib.New(s)
		require.NoError(t, p.WriteFile("/big", data, 0o644))
		require.NoError(t, p.Sync())
		fd, err := p.Open("/big", linux.O_RDONLY, 0)
		require.NoError(t, err)
		first := make([]byte, 100_000)
		n, err := io.ReadFull(p.File(fd), first)
		require.NoError(t, err)
		require.NoError(t, s.Inject(fsproto.Name, ipc.InjectCrash, 0)) // hits the next read
		rest, err := io.ReadAll(p.File(fd))
		assert.NoError(t, err)
		got = append(first[:n], rest...)

		w, err := p.Create("/w", 0o644)
		require.NoError(t, err)
		_, err = p.Write(w, []byte("before"))
		require.NoError(t, err)
		require.NoError(t, s.Inject(fsproto.Name, ipc.InjectCrash, 0))
		_, writeErr = p.Write(w, []byte("lost?"))
		_, staleErr = p.Write(w, []byte("after"))
		assert.NoError(t, p.Close(w), "closing a descriptor the server forgot succeeds")
		wrote, err = p.ReadFile("/w")
		assert.NoError(t, err)
	}})
	require.NoError(t, err)
	require.NoError(t, sys.Kernel.Run())
	assert.True(t, bytes.Equal(data, got), "read %d bytes, want %d, the same", len(got), len(data))
	assert.ErrorIs(t, writeErr, linux.EIO, "the write the crash hit: done or not, nobody knows")
	assert.NoError(t, staleErr, "a writable descriptor is reopened at its offset")
	assert.Equal(t, "beforeafter", string(wrote), "the write the crash hit did nothing; the next lands after what was acknowledged")
	require.NotEmpty(t, sys.Restarts)
	assert.Equal(t, fsproto.Name, sys.Restarts[0].Server)
}

// workload reads what setup wrote, through the shell and the utilities.
const (
	setup    = "mkdir /d; echo alpha > /d/a; echo beta gamma > /d/b; cp /d/a /d/c; head -c 200000 /dev/zero > /big; sync"
	workload = `sleep 1; touch /go
cat /big | wc -c; ls -l /d; wc /d/a /d/b; cat /d/a /d/b; stat -L /d/b | head -2
cat /big | wc -c; ls /; cat /d/b | wc -w; head -1 /d/b; tail -n 1 /d/a
cat /big /big | wc -c; ls -l /d; wc /d/a /d/b; cat /d/a /d/b`
)

// The same workload, with the file server crashed under it every
// 250µs ten times once it runs (some land while it is down), prints what it prints without a
// crash.
func TestShellWorkloadSurvivesFSCrashes(t *testing.T) {
	clean := runWorkload(t, 0)
	crashed := runWorkload(t, 10)
	assert.Contains(t, clean, "200000\n")
	assert.NotContains(t, clean, "! ")
	assert.Equal(t, clean, crashed)
}

// runWorkload runs setup then workload through init and the shell, with
// crash.s of the file server injected meanwhile, and returns the
// transcript (errors marked).
func runWorkload(t *testing.T, crashes int) string {
	sys := bootMicro(t)
	defer sys.Close()
	var log consoleLog
	con := &boot.Console{In: strings.NewReader(""), Out: log.writer(""), Err: log.writer("! ")}
	script := setup + "\n" + workload
	run, err := sys.StartInit(sysinit.Options{Argv: []string{"sh", "-c", script}}, con)
	require.NoError(t, err)
	injected := 0
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "injector", Body: func(s ipc.Sys) {
		// Wait for the workload to start (setup done: it touches /go).
		fs, err := fsproto.Dial(s)
		require.NoError(t, err)
		for try := 0; try < 100_000; try++ {
			if _, err := fs.Stat("/go"); err == nil {
				break
			}
			_ = s.Sleep(msNs / 10)
		}
		for range crashes {
			_ = s.Sleep(msNs / 4)
			if s.Inject(fsproto.Name, ipc.InjectCrash, 0) == nil {
				injected++
			}
		}
	}})
	require.NoError(t, err)
	require.NoError(t, sys.Kernel.Run())
	assert.Equal(t, 0, run.Status, log.String())
	assert.Equal(t, crashes, injected)
	if crashes > 0 {
		assert.GreaterOrEqual(t, len(sys.Restarts), 3, "crashes hit requests of the workload (some land while fs is down)")
	}
	return log.String()
}
