package fs_test

// Helpers shared by the file server's tests: a formatted memory disk, and
// a kernel booted with the file server and a stub disk driver in each
// placement. Task bodies record what they saw; the test asserts after Run.

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
	"github.com/mkos/mkos/servers/fs/stubdisk"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// placements are where the file server and the disk driver run: micro
// (both tasks), mono (both in the kernel), hybrid (the file server in the
// kernel, the driver a task: a second caller can enter the file server
// while the first waits for the disk).
var placements = []string{"micro", "mono", "hybrid"}

// newDev returns a memory disk of sizeBytes with a fresh file system.
func newDev(t testing.TB, sizeBytes int64) *bdev.Mem {
	t.Helper()
	dev := bdev.NewMem(layout.BlockSize, sizeBytes/layout.BlockSize)
	sb, err := layout.Plan(sizeBytes, 0, 0)
	require.NoError(t, err)
	require.NoError(t, layout.Format(dev, sb, 0))
	require.NoError(t, dev.Flush())
	return dev
}

// sysConf is a system to boot for a test.
type sysConf struct {
	placement string
	dev       bdev.BlockDev
	// hook runs before each disk write (see stubdisk.Server.Hook).
	hook func(ctx *ipc.Ctx, block int64, count int) error
	// restart restarts the file server task when it dies (micro only).
	restart bool
	// latencyNs is the disk's time per request.
	latencyNs int64
	// opts are the file server's options.
	opts fs.Options
}

// booted is a booted system.
type booted struct {
	k    *kernel.Kernel
	disk *stubdisk.Server
	// fsEp is the file server task's endpoint (micro), kept current by
	// the supervisor; fsDeaths counts its deaths.
	fsEp     ipc.Endpoint
	fsDeaths int
	// fs is the file server placed in the kernel (mono, hybrid).
	fs *fs.Server
}

// boot boots the kernel with the file server and the stub disk, and
// spawns each body as a client task, in order.
func boot(t testing.TB, c sysConf, bodies ...func(sys ipc.Sys)) *booted {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1})
	require.NoError(t, err)
	b := &booted{k: k, disk: stubdisk.New(c.dev)}
	b.disk.Hook = c.hook
	b.disk.LatencyNs = c.latencyNs
	place := func(name string, srv ipc.Server, inKernel bool) {
		if inKernel {
			_, err := k.Place(name, srv)
			require.NoError(t, err)
			return
		}
		_, err := k.Declare(name)
		require.NoError(t, err)
	}
	fsInKernel := c.placement != "micro"
	place(diskproto.Name, b.disk, c.placement == "mono")
	if c.placement != "mono" {
		spawnServer(t, k, diskproto.Name, func() ipc.Server { return b.disk })
	}
	b.fs = &fs.Server{Opts: c.opts}
	place(fsproto.Name, b.fs, fsInKernel)
	if !fsInKernel {
		b.fsEp = spawnServer(t, k, fsproto.Name, func() ipc.Server { return &fs.Server{Opts: c.opts} })
		if c.restart {
			_, err := k.Spawn(ipc.TaskSpec{Name: "supervisor", Body: b.supervise})
			require.NoError(t, err)
		}
	}
	for i, body := range bodies {
		_, err := k.Spawn(ipc.TaskSpec{Name: "client" + string(rune('0'+i)), Body: body})
		require.NoError(t, err)
	}
	return b
}

// spawnServer runs a server as a task.
func spawnServer(t testing.TB, k *kernel.Kernel, name string, mk func() ipc.Server) ipc.Endpoint {
	t.Helper()
	ep, err := k.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, name, mk()) }})
	require.NoError(t, err)
	return ep
}

// supervise restarts the file server (a new instance, which remounts)
// each time it dies.
func (b *booted) supervise(sys ipc.Sys) {
	if sys.Supervise() != nil {
		return
	}
	var m ipc.Message
	for sys.Receive(ipc.KernelEndpoint, &m) == nil {
		for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
			if d.Task != b.fsEp {
				continue
			}
			b.fsDeaths++
			ep, err := sys.Spawn(ipc.TaskSpec{Name: fsproto.Name, Body: func(sys ipc.Sys) {
				_ = ipc.Serve(sys, fsproto.Name, fs.New())
			}})
			if err != nil {
				return
			}
			b.fsEp = ep
		}
	}
}

// run runs the system to its end.
func (b *booted) run(t testing.TB) {
	t.Helper()
	require.NoError(t, b.k.Run())
}

// client dials the file server from a task body.
func client(sys ipc.Sys) fsproto.Client {
	c, err := fsproto.Dial(sys)
	if err != nil {
		panic(err)
	}
	return c
}
