package pmproto_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

func TestSpawnRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		in   pmproto.SpawnRequest
	}{
		{"path only", pmproto.SpawnRequest{Path: "/bin/true"}},
		{"argv", pmproto.SpawnRequest{Path: "/bin/echo", Argv: []string{"echo", "a b", ""}}},
		{"env and fds", pmproto.SpawnRequest{Path: "/bin/x", Argv: []string{"x"}, Env: []string{"HOME=/", "A="},
			Attr: pmproto.SpawnAttr{Fds: []int{0, 1, -1, 7}}}},
		{"group", pmproto.SpawnRequest{Path: "/bin/x", Attr: pmproto.SpawnAttr{Flags: pmproto.SpawnSetPgroup, Pgroup: 12}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, window, err := pmproto.EncodeSpawn(c.in)
			require.NoError(t, err)
			n, ok := pmproto.SpawnWindow(&req)
			require.True(t, ok)
			assert.Equal(t, len(window), n)
			got, err := pmproto.DecodeSpawn(&req, window)
			require.NoError(t, err)
			assert.Equal(t, c.in, got)
		})
	}
}

func TestSpawnEncodingErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		in   pmproto.SpawnRequest
		want error
	}{
		{"empty path", pmproto.SpawnRequest{}, linux.EINVAL},
		{"NUL in argv", pmproto.SpawnRequest{Path: "/x", Argv: []string{"a\x00b"}}, linux.EINVAL},
		{"too big", pmproto.SpawnRequest{Path: "/x", Argv: []string{strings.Repeat("a", ipc.MaxBulk)}}, linux.E2BIG},
	} {
		_, _, err := pmproto.EncodeSpawn(c.in)
		assert.ErrorIs(t, err, c.want, c.name)
	}
	req, window, err := pmproto.EncodeSpawn(pmproto.SpawnRequest{Path: "/x", Argv: []string{"a"}})
	require.NoError(t, err)
	req.SetWord(1, 5) // more arguments than the window holds
	_, err = pmproto.DecodeSpawn(&req, window)
	assert.ErrorIs(t, err, linux.EINVAL, "argc beyond the window")
	_, err = pmproto.DecodeSpawn(&req, window[:1])
	assert.ErrorIs(t, err, linux.EINVAL, "short window")
}

func TestProcInfoRoundTrip(t *testing.T) {
	in := pmproto.ProcInfo{Pid: 7, Ppid: 1, Pgid: 5, State: pmproto.Zombie, Status: pmproto.Signaled(linux.SIGTERM),
		StartNs: 123456, Task: ipc.TaskEndpoint(3, 2), Name: "sleep"}
	b := make([]byte, pmproto.RecordSize)
	in.Put(b)
	assert.Equal(t, in, pmproto.ReadProcInfo(b))
	assert.Equal(t, "abcdefghijklmno", pmproto.ShortName("/bin/abcdefghijklmnopqrstuvwxyz"))
	assert.Equal(t, "ls", pmproto.ShortName("/bin/ls"))
	assert.Equal(t, "x", pmproto.ShortName("x"))
}

func TestSignalBits(t *testing.T) {
	assert.Equal(t, uint64(1)<<1, pmproto.SignalBit(linux.SIGINT), "SIGINT is bit 1, as in a Linux sigset")
	bits := pmproto.SignalBit(linux.SIGTERM) | pmproto.SignalBit(linux.SIGHUP) | 1<<40
	assert.Equal(t, []linux.Signal{linux.SIGHUP, linux.SIGTERM}, pmproto.Signals(bits))
	assert.Zero(t, pmproto.SignalBits&ipc.NotifyDeath, "signal bits clash with the death notice")
	assert.Equal(t, pmproto.SignalBits, pmproto.SignalBit(linux.SIGSYS)*2-1)
}

func TestDefaultActions(t *testing.T) {
	for sig, want := range map[linux.Signal]pmproto.Action{
		linux.SIGKILL: pmproto.Term, linux.SIGTERM: pmproto.Term, linux.SIGINT: pmproto.Term,
		linux.SIGCHLD: pmproto.Ign, linux.SIGSEGV: pmproto.Core, linux.SIGSTOP: pmproto.Stop,
		linux.SIGCONT: pmproto.Cont, linux.SIGWINCH: pmproto.Ign, 0: 0, 40: 0,
	} {
		assert.Equal(t, want, pmproto.DefaultAction(sig), "DefaultAction(%d)", sig)
	}
	for sig := linux.Signal(1); sig < pmproto.NSig; sig++ {
		assert.NotZero(t, pmproto.DefaultAction(sig), "signal %d has no default action", sig)
	}
}

func TestWaitStatus(t *testing.T) {
	for _, c := range []struct {
		name  string
		ws    linux.WaitStatus
		shell int
	}{
		{"exit 0", pmproto.Exited(0), 0},
		{"exit 3", pmproto.Exited(3), 3},
		{"exit -1 keeps 8 bits", pmproto.Exited(-1), 255},
		{"SIGTERM", pmproto.Signaled(linux.SIGTERM), 143},
		{"SIGKILL", pmproto.Signaled(linux.SIGKILL), 137},
	} {
		assert.Equal(t, c.shell, pmproto.ShellStatus(c.ws), c.name)
	}
	assert.True(t, pmproto.Exited(3).Exited())
	assert.Equal(t, 3, pmproto.Exited(3).ExitStatus())
	assert.True(t, pmproto.Signaled(linux.SIGINT).Signaled())
	assert.Equal(t, linux.SIGINT, pmproto.Signaled(linux.SIGINT).Signal())
}

func TestEveryRequestHasAName(t *testing.T) {
	for ty := pmproto.Spawn; ty <= pmproto.LastRequest; ty++ {
		assert.NotEmpty(t, pmproto.RequestNames[ty], "request %d", ty)
	}
	assert.Len(t, pmproto.RequestNames, int(pmproto.LastRequest))
}
