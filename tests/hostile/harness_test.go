package hostile_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/pm"
)

// denials records the kernel's EvDeny events.
type denials struct {
	mu  sync.Mutex
	got []string
}

func (d *denials) Event(e *kernel.Event) {
	if e.Kind == kernel.EvDeny {
		d.mu.Lock()
		d.got = append(d.got, e.Name+": "+e.Detail)
		d.mu.Unlock()
	}
}

// target is a booted system under attack.
type target struct {
	*boot.System
	deny *denials
}

// bootOS boots an operating system in mode: fs on a fresh disk, mm, pm,
// pipe, memdev and echo, as `mkos run -c` does.
func bootOS(t *testing.T, mode boot.Mode) *target {
	t.Helper()
	cfg := boot.UserSpace(boot.Default())
	cfg.Mode = mode
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 8 << 20, Kind: hw.KindSSD}
	cfg.MaxTime = boot.Duration(60e9)
	d := &denials{}
	sys, err := boot.Boot(cfg, d)
	require.NoError(t, err)
	require.NoError(t, sys.FormatDisk())
	t.Cleanup(func() { _ = sys.Close() })
	return &target{System: sys, deny: d}
}

// program starts body as an ordinary program: pm adopts it, and it runs
// with the user's privilege record and root's credentials, as a program
// the shell starts.
func (tg *target) program(t *testing.T, name string, body func(sys ipc.Sys)) {
	t.Helper()
	_, err := tg.Kernel.Spawn(pm.Adopt(name, func(sys ipc.Sys, _, _ []string) int {
		body(sys)
		return 0
	}, []string{name}, nil))
	require.NoError(t, err)
}

// programAs starts body as a program of an ordinary user (uid and gid
// 1000), with the user's privilege record.
func (tg *target) programAs(t *testing.T, name string, body func(sys ipc.Sys)) {
	t.Helper()
	p, c := ipc.UserPriv(), ipc.Cred{UID: 1000, GID: 1000}
	_, err := tg.Kernel.Spawn(ipc.TaskSpec{Name: name, Priv: &p, Cred: &c, Body: body})
	require.NoError(t, err)
}

// run runs the system to its end and checks the disk.
func (tg *target) run(t *testing.T) {
	t.Helper()
	require.NoError(t, tg.Kernel.Run())
	require.Nil(t, tg.Kernel.Halted(), "no kernel panic")
	rep, err := fsck.Check(tg.Disk)
	require.NoError(t, err)
	require.True(t, rep.Clean(), "fsck: %s", rep)
}

// roundTrip writes data to path through fs, syncs, and reads it back.
func roundTrip(sys ipc.Sys, path string, data []byte) ([]byte, error) {
	c, err := fsproto.Dial(sys)
	if err != nil {
		return nil, err
	}
	fd, err := c.Create(path, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := c.Write(fd, data); err != nil {
		return nil, err
	}
	if err := c.Fsync(fd); err != nil {
		return nil, err
	}
	if err := c.Close(fd); err != nil {
		return nil, err
	}
	return c.ReadFile(path)
}

// modes are the placements every attack is tried in.
var modes = []boot.Mode{boot.Micro, boot.Hybrid, boot.Mono}

// forModes runs f as a subtest per mode on a fresh system.
func forModes(t *testing.T, f func(t *testing.T, tg *target)) {
	for _, m := range modes {
		t.Run(string(m), func(t *testing.T) { f(t, bootOS(t, m)) })
	}
}
