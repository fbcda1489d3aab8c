package fs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/fsck"
)

// After the file server is killed and restarted, it remounts from the
// disk: what fsync acknowledged is there, what was not committed is gone,
// and every descriptor from before fails with ESTALE — never names another
// file — while new ones work.
func TestRestartRecoversAndStalesDescriptors(t *testing.T) {
	dev := newDev(t, 16<<20)
	type seen struct {
		staleRead, staleClose, lostStat error
		durable                         string
		newFd                           fsproto.FD
		oldFd                           fsproto.FD
	}
	var got seen
	var b *booted
	b = boot(t, sysConf{placement: "micro", dev: dev, restart: true}, func(sys ipc.Sys) {
		c := client(sys)
		fd, err := c.Open("/a", linux.O_RDWR|linux.O_CREAT, 0o644)
		if !assert.NoError(t, err) {
			return
		}
		_, err = c.Write(fd, []byte("durable"))
		if !assert.NoError(t, err) {
			return
		}
		if !assert.NoError(t, c.Fsync(fd)) {
			return
		}
		if !assert.NoError(t, c.Mkdir("/notsynced", 0o755)) {
			return
		}
		got.oldFd = fd
		if !assert.NoError(t, sys.Kill(b.fsEp)) {
			return
		}
		sys.Sleep(1_000_000) // the supervisor restarts the server
		_, got.staleRead = c.Read(fd, make([]byte, 10))
		got.staleClose = c.Close(fd)
		_, got.lostStat = c.Stat("/notsynced")
		got.newFd, err = c.Open("/a", linux.O_RDONLY, 0)
		if !assert.NoError(t, err) {
			return
		}
		buf := make([]byte, 100)
		n, err := c.Read(got.newFd, buf)
		if !assert.NoError(t, err) {
			return
		}
		got.durable = string(buf[:n])
	})
	b.run(t)
	assert.Equal(t, 1, b.fsDeaths)
	assert.ErrorIs(t, got.staleRead, linux.ESTALE)
	assert.ErrorIs(t, got.staleClose, linux.ESTALE)
	assert.ErrorIs(t, got.lostStat, linux.ENOENT, "not fsynced: lost with the server")
	assert.Equal(t, "durable", got.durable)
	assert.Equal(t, got.oldFd.Num(), got.newFd.Num(), "the same small number again")
	assert.Equal(t, got.oldFd.Epoch()+1, got.newFd.Epoch(), "but a new epoch")
	rep, err := fsck.Check(dev)
	require.NoError(t, err)
	assert.True(t, rep.Clean(), rep.String())
}

// A kernel panic in mono mode stops everything; booting again over the
// same disk (after a power cut: unflushed writes are lost) finds what
// fsync acknowledged.
func TestRebootAfterPowerCut(t *testing.T) {
	for _, p := range placements {
		t.Run(p, func(t *testing.T) {
			dev := newDev(t, 16<<20)
			b := boot(t, sysConf{placement: p, dev: dev}, func(sys ipc.Sys) {
				c := client(sys)
				fd, _ := c.Create("/kept", 0o644)
				c.Write(fd, []byte("fsynced"))
				c.Fsync(fd)
				c.Write(fd, []byte(" and more"))
				c.Mkdir("/gone", 0o755)
			})
			b.run(t)
			after := dev.Crash(nil)
			var kept string
			var gone error
			boot(t, sysConf{placement: p, dev: after}, func(sys ipc.Sys) {
				c := client(sys)
				fd, err := c.Open("/kept", linux.O_RDONLY, 0)
				if !assert.NoError(t, err) {
					return
				}
				buf := make([]byte, 100)
				n, _ := c.Read(fd, buf)
				kept = string(buf[:n])
				_, gone = c.Stat("/gone")
			}).run(t)
			assert.Equal(t, "fsynced", kept)
			assert.ErrorIs(t, gone, linux.ENOENT)
		})
	}
}

// Every request type of the protocol has a handler, and the server answers
// an unknown type with ENOSYS.
func TestEveryRequestHasAHandler(t *testing.T) {
	handled := map[ipc.Type]bool{}
	for _, ty := range fs.HandledTypes() {
		handled[ty] = true
		assert.Contains(t, fsproto.Names, ty, "handler for a type with no name")
	}
	for ty, name := range fsproto.Names {
		assert.True(t, handled[ty], "no handler for %s", name)
	}
	var errno uint16
	boot(t, sysConf{placement: "micro", dev: newDev(t, 1<<20)}, func(sys ipc.Sys) {
		id, _ := sys.Lookup(fsproto.Name)
		var rep ipc.Message
		if !assert.NoError(t, sys.Call(ipc.ServiceEndpoint(id), &ipc.Message{Type: 999}, &rep)) {
			return
		}
		errno = rep.Errno
	}).run(t)
	assert.Equal(t, uint16(linux.ENOSYS), errno)
}
