package disk_test

// The driver's tests boot a kernel with the simulated disk attached and the
// driver placed in user space (its own task, ipc.Serve) or in the kernel
// (Place: the handler runs in the caller's trap, the interrupt in a kernel
// thread), and drive it through diskproto.Client as the file server will.
// Task bodies use assert, never require: a body runs on its own coroutine.

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/kernel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// placements are the two places a driver runs.
var placements = []struct {
	name  string
	place func(t *testing.T, k *kernel.Kernel, drv *disk.Driver)
}{
	{"user space", func(t *testing.T, k *kernel.Kernel, drv *disk.Driver) {
		_, err := k.Declare(diskproto.Name)
		require.NoError(t, err)
		_, err = k.Spawn(ipc.TaskSpec{Name: "disk", Body: func(sys ipc.Sys) { ipc.Serve(sys, diskproto.Name, drv) }})
		require.NoError(t, err)
	}},
	{"kernel", func(t *testing.T, k *kernel.Kernel, drv *disk.Driver) {
		_, err := k.Place(diskproto.Name, drv)
		require.NoError(t, err)
	}},
}

// rig is a booted kernel with a disk and its driver.
type rig struct {
	k   *kernel.Kernel
	dev *hw.Disk
	drv *disk.Driver
}

// bootDisk boots a kernel with a disk as o says and a driver with scheduler
// sched, placed by place.
func bootDisk(t *testing.T, place func(*testing.T, *kernel.Kernel, *disk.Driver), o hw.Options, sched string) *rig {
	t.Helper()
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	dev, err := hw.Open(o)
	require.NoError(t, err)
	t.Cleanup(func() { dev.Close() })
	drv, err := disk.New(disk.Options{Sched: sched})
	require.NoError(t, err)
	place(t, k, drv)
	_, err = k.Attach(dev, diskproto.Name, disk.IRQ)
	require.NoError(t, err)
	return &rig{k: k, dev: dev, drv: drv}
}

// client spawns a task that runs body with a disk client.
func (r *rig) client(t *testing.T, name string, body func(sys ipc.Sys, c diskproto.Client)) {
	t.Helper()
	_, err := r.k.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
		id, err := sys.Lookup(diskproto.Name)
		if err != nil {
			t.Errorf("%s: lookup disk: %v", name, err)
			return
		}
		body(sys, diskproto.Client{Sys: sys, Dst: ipc.ServiceEndpoint(id)})
	}})
	require.NoError(t, err)
}

// run runs the kernel to its end.
func (r *rig) run(t *testing.T) {
	t.Helper()
	require.NoError(t, r.k.Run())
}

// fill returns n blocks of 4 KiB, block i filled with seed+i.
func fill(seed byte, n int) []byte {
	b := make([]byte, n*4096)
	for i := range b {
		b[i] = seed + byte(i/4096)
	}
	return b
}
