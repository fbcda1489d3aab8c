package tests

// The storage stack end to end: the file server on the real disk driver
// and the simulated disk (HDD latency, interrupts), booted by boot in
// every mode; a script of file commands gives the same transcript in each.
// In micro mode the file server is crashed by fault injection and
// restarted by the supervisor: acknowledged data is there, and descriptors
// from before the crash fail with ESTALE.

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/user/fscmd"
)

// storageScript exercises names, contents, large files and errors.
const storageScript = `mkdir /d /d/e
write /d/a hello, disk
fill /d/e/big 300000
sum /d/e/big
ln -s /d/a /s
cat /s
mv /d/e /e
ls -l /e
truncate /e/big 5000
stat /e/big
rmdir /d
rm /d/a
rmdir /d
cat /s
ls
df`

// bootStorage boots mode with the file server and a fresh formatted HDD.
func bootStorage(t *testing.T, mode boot.Mode) *boot.System {
	cfg := boot.Default()
	cfg.Mode = mode
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = 0
	cfg.Servers = []boot.ServerConf{{Name: fsproto.Name}}
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindHDD}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, sys.FormatDisk())
	return sys
}

func TestFileServerOnTheDiskDriverInEveryMode(t *testing.T) {
	outs := map[boot.Mode]string{}
	for _, mode := range boot.Modes {
		sys := bootStorage(t, mode)
		var out bytes.Buffer
		failed := -1
		_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "sh", Body: func(s ipc.Sys) {
			r, err := fscmd.New(s, &out, &out)
			if assert.NoError(t, err) {
				failed = r.Run(storageScript)
				assert.NoError(t, r.C.Sync())
			}
		}})
		require.NoError(t, err)
		require.NoError(t, sys.Kernel.Run())
		assert.Equal(t, 2, failed, "%s: the first rmdir /d and the last cat fail", mode)
		rep, err := fsck.Check(sys.Disk)
		require.NoError(t, err)
		assert.True(t, rep.Clean(), "%s: %s", mode, rep)
		assert.Positive(t, sys.Disk.Stats().Seeks, "%s: the HDD seeked", mode)
		require.NoError(t, sys.Close())
		outs[mode] = out.String()
	}
	assert.Contains(t, outs[boot.Micro], "rmdir /d: directory not empty (ENOTEMPTY)")
	assert.Contains(t, outs[boot.Micro], "/e/big: regular file, 5000 bytes")
	assert.Contains(t, outs[boot.Micro], "cat /s: no such file or directory (ENOENT)")
	assert.Equal(t, outs[boot.Micro], outs[boot.Mono])
	assert.Equal(t, outs[boot.Micro], outs[boot.Hybrid])
}

func TestFileServerCrashInMicroMode(t *testing.T) {
	sys := bootStorage(t, boot.Micro)
	var staleErr, crashErr error
	var got []byte
	_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "client", Body: func(s ipc.Sys) {
		c, err := fsproto.Dial(s)
		if !assert.NoError(t, err) {
			return
		}
		fd, err := c.Create("/kept", 0o644)
		if !assert.NoError(t, err) {
			return
		}
		c.Write(fd, []byte("fsynced before the crash"))
		assert.NoError(t, c.Fsync(fd))
		assert.NoError(t, s.Inject(fsproto.Name, ipc.InjectCrash, 0))
		_, crashErr = c.Stat("/kept")
		_, staleErr = c.Fstat(fd)
		fd2, err := c.Open("/kept", linux.O_RDONLY, 0)
		if assert.NoError(t, err) {
			buf := make([]byte, 100)
			n, _ := c.Read(fd2, buf)
			got = buf[:n]
		}
	}})
	require.NoError(t, err)
	sum, err := sys.Run()
	require.NoError(t, err)
	require.NoError(t, sys.Close())
	assert.ErrorIs(t, crashErr, ipc.ErrServiceDied)
	assert.ErrorIs(t, staleErr, linux.ESTALE)
	assert.Equal(t, "fsynced before the crash", string(got))
	require.Len(t, sum.Restarts, 1)
	assert.Equal(t, fsproto.Name, sum.Restarts[0].Server)
}
