package hostile_test

// Clean-up after abnormal death, end to end: systems booted by boot in
// every mode, a program killed (Sys.Kill from a task with every
// privilege, as a hostile program's victim or pm's kill would) while it
// holds descriptors, an unlinked open file, or a pipe end; and a
// grant/revoke loop. Each test failed before the servers heard of deaths
// and the kernel bounded grant tables. Bodies use assert, never require:
// a body runs on its own coroutine.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/fs"
)

// cleanupSleepNs is a sleep that outlasts every test (names here carry
// "cleanup": the package holds other suites).
const cleanupSleepNs = int64(1) << 50

// bootCleanup boots mode with the file server on a fresh disk, mm and the
// pipe server.
func bootCleanup(t *testing.T, mode boot.Mode) *boot.System {
	t.Helper()
	cfg := boot.Default()
	cfg.Mode = mode
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = 0
	cfg.Servers = []boot.ServerConf{{Name: fsproto.Name}, {Name: mmproto.Name}, {Name: "pipe"}}
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, sys.FormatDisk())
	return sys
}

// cleanupInEveryMode runs body as one task (with every privilege) in each mode,
// and checks that it ran to its end: a body left waiting cleanupSleepNs (a read
// that never sees end of file) fails the test.
func cleanupInEveryMode(t *testing.T, body func(t *testing.T, k *kernel.Kernel, sys ipc.Sys)) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			s := bootCleanup(t, mode)
			finished := false
			_, err := s.Kernel.Spawn(ipc.TaskSpec{Name: "attacker", Body: func(sys ipc.Sys) {
				body(t, s.Kernel, sys)
				finished = true
			}})
			require.NoError(t, err)
			_, err = s.Run()
			require.NoError(t, err)
			require.Nil(t, s.Kernel.Halted())
			require.NoError(t, s.Close())
			assert.True(t, finished, "the attacker ran to its end")
		})
	}
}

// cleanupSpawnAndKill runs victim as a task until it says it is ready, then
// kills it.
func cleanupSpawnAndKill(t *testing.T, sys ipc.Sys, victim func(sys ipc.Sys, ready *bool)) {
	ready := false
	ep, err := sys.Spawn(ipc.TaskSpec{Name: "victim", Body: func(sys ipc.Sys) { victim(sys, &ready) }})
	if !assert.NoError(t, err) {
		return
	}
	for !ready {
		sys.Sleep(10_000)
	}
	assert.NoError(t, sys.Kill(ep))
	sys.Sleep(10_000)
}

// More programs killed while holding all the descriptors they may than
// the file server holds in all: an open still succeeds. Before, the
// leaked descriptors made every open in the system fail with ENFILE.
func TestKilledProgramsDoNotExhaustDescriptors(t *testing.T) {
	const victims = fs.MaxOpen/fs.MaxOpenPerProc + 1
	cleanupInEveryMode(t, func(t *testing.T, _ *kernel.Kernel, sys ipc.Sys) {
		var victimErr error
		for range victims {
			cleanupSpawnAndKill(t, sys, func(sys ipc.Sys, ready *bool) {
				c, err := fsproto.Dial(sys)
				for i := 0; err == nil && i < fs.MaxOpenPerProc; i++ {
					_, err = c.Open("/", linux.O_RDONLY, 0)
				}
				if err != nil && victimErr == nil {
					victimErr = err
				}
				*ready = true
				sys.Sleep(cleanupSleepNs)
			})
		}
		assert.NoError(t, victimErr, "a victim's Open()")
		c, err := fsproto.Dial(sys)
		if assert.NoError(t, err) {
			_, err = c.Open("/", linux.O_RDONLY, 0)
			assert.NoError(t, err, "Open() after %d programs were killed holding %d descriptors each", victims, fs.MaxOpenPerProc)
		}
	})
}

// A program killed while it holds a file it unlinked: the file's blocks
// and inode come back. Before, they stayed allocated until the next mount.
func TestKilledHolderOfUnlinkedFileFreesIt(t *testing.T) {
	cleanupInEveryMode(t, func(t *testing.T, _ *kernel.Kernel, sys ipc.Sys) {
		c, err := fsproto.Dial(sys)
		if !assert.NoError(t, err) {
			return
		}
		before, err := c.Statfs()
		assert.NoError(t, err)
		var during int64
		cleanupSpawnAndKill(t, sys, func(sys ipc.Sys, ready *bool) {
			c, _ := fsproto.Dial(sys)
			fd, err := c.Open("/hoard", linux.O_CREAT|linux.O_RDWR, 0o600)
			assert.NoError(t, err)
			_, err = c.Write(fd, make([]byte, 1<<20))
			assert.NoError(t, err)
			assert.NoError(t, c.Unlink("/hoard"))
			st, _ := c.Statfs()
			during = st.FreeBlocks
			*ready = true
			sys.Sleep(cleanupSleepNs)
		})
		after, err := c.Statfs()
		assert.NoError(t, err)
		assert.Less(t, during, before.FreeBlocks-200, "free blocks while the unlinked file is held")
		assert.Equal(t, before.FreeBlocks, after.FreeBlocks, "free blocks after its holder was killed")
		assert.Equal(t, before.FreeInodes, after.FreeInodes, "free inodes after its holder was killed")
	})
}

// A reader whose writer is killed sees end of file. Before, it waited
// cleanupSleepNs. The writer makes the pipe and hands the reader a read handle of
// its own (Dup, as a parent does for a child), then writes and never
// closes its ends.
func TestReaderOfKilledWriterSeesEOF(t *testing.T) {
	cleanupInEveryMode(t, func(t *testing.T, _ *kernel.Kernel, sys ipc.Sys) {
		var r streamproto.Handle
		ready := false
		writer, err := sys.Spawn(ipc.TaskSpec{Name: "writer", Body: func(sys ipc.Sys) {
			c, err := streamproto.Dial(sys, streamproto.PipeService)
			if !assert.NoError(t, err) {
				return
			}
			mine, w, err := c.Pipe()
			assert.NoError(t, err)
			r, err = c.Dup(mine)
			assert.NoError(t, err)
			_, err = c.Write(w, []byte("last words"))
			assert.NoError(t, err)
			ready = true
			sys.Sleep(cleanupSleepNs) // holds its ends, never closes them
		}})
		if !assert.NoError(t, err) {
			return
		}
		for !ready {
			sys.Sleep(10_000)
		}
		c, err := streamproto.Dial(sys, streamproto.PipeService)
		if !assert.NoError(t, err) {
			return
		}
		buf := make([]byte, 64)
		n, err := c.Read(r, buf)
		assert.NoError(t, err)
		assert.Equal(t, "last words", string(buf[:n]), "what was in the pipe")
		assert.NoError(t, sys.Kill(writer))
		n, err = c.Read(r, buf) // waits for more, or for the end
		assert.NoError(t, err, "Read() after the writer was killed")
		assert.Equal(t, 0, n, "Read() after the writer was killed: end of file")
	})
}

// A grant/revoke loop of 100 000 rounds: the task's grant table stays at
// one slot. Before, it grew by one slot a round.
func TestGrantRevokeLoopIsBounded(t *testing.T) {
	const rounds = 100_000
	cleanupInEveryMode(t, func(t *testing.T, k *kernel.Kernel, sys ipc.Sys) {
		for i := 0; i < rounds; i++ {
			g, err := sys.Grant(sys.Self(), 0x10000, ipc.PageSize, ipc.ProtRead)
			if !assert.NoError(t, err) || !assert.NoError(t, sys.Revoke(g)) {
				return
			}
		}
		assert.LessOrEqual(t, k.Grants(sys.Self()), 1, "grant slots after %d grant/revoke rounds", rounds)
	})
}
