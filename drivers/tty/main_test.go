package tty_test

// The driver's tests boot a kernel with a UART attached and the driver
// placed in user space (its own task) or in the kernel (its handler in the
// caller's trap, its interrupts in a kernel thread), and use it through
// streamproto.Client as programs do. Task bodies use assert, never
// require: a body runs on its own coroutine.

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/drivers/tty"
	"github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// placements are the two places the driver runs.
var placements = []struct {
	name     string
	inKernel bool
}{{"user space", false}, {"kernel", true}}

// screen is the host side of the UART's output, safe to read after the
// run (the live keyboard's pump never touches it).
type screen struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// rig is a kernel with a console.
type rig struct {
	k      *kernel.Kernel
	uart   *hw.UART
	out    *screen
	ttyEp  ipc.Endpoint // the driver's task in user space
	listen bool
	drv    *tty.Driver
}

// bootTTY boots a kernel with a UART on the host ends o gives (Out is
// set here) and a driver placed as inKernel says.
func bootTTY(t *testing.T, inKernel bool, o hw.Options) *rig {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1})
	require.NoError(t, err)
	r := &rig{k: k, out: &screen{}, listen: o.Interactive}
	o.Out = r.out
	r.uart = hw.New(o)
	t.Cleanup(func() { r.uart.Close() })
	drv := tty.New(tty.Options{Listen: r.listen})
	r.drv = drv
	if inKernel {
		_, err = k.Place(streamproto.TTY, drv)
	} else {
		_, err = k.Declare(streamproto.TTY)
		require.NoError(t, err)
		r.ttyEp, err = k.Spawn(r.instance(drv))
	}
	require.NoError(t, err)
	_, err = k.Attach(r.uart.Receiver(), streamproto.TTY, tty.RxIRQ)
	require.NoError(t, err)
	_, err = k.Attach(r.uart.Transmitter(), streamproto.TTY, tty.TxIRQ)
	require.NoError(t, err)
	return r
}

// instance is the task of one user-space instance of drv.
func (r *rig) instance(drv *tty.Driver) ipc.TaskSpec {
	return ipc.TaskSpec{Name: "tty", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, streamproto.TTY, drv) }}
}

// client spawns a task that runs body with a console client and a handle
// opened read-write.
func (r *rig) client(t *testing.T, name string, body func(sys ipc.Sys, c streamproto.Client, h streamproto.Handle)) {
	t.Helper()
	_, err := r.k.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
		c, err := streamproto.Dial(sys, streamproto.TTY)
		if err != nil {
			t.Errorf("%s: dial tty: %v", name, err)
			return
		}
		h, err := c.OpenStream("", 2) // O_RDWR
		if err != nil {
			t.Errorf("%s: open the console: %v", name, err)
			return
		}
		body(sys, c, h)
	}})
	require.NoError(t, err)
}

// run runs the kernel to its end.
func (r *rig) run(t *testing.T) {
	t.Helper()
	require.NoError(t, r.k.Run())
}

// readString reads once and returns the text, or the error's text.
func readString(c streamproto.Client, h streamproto.Handle) string {
	buf := make([]byte, 256)
	n, err := c.Read(h, buf)
	if err != nil {
		return "error: " + err.Error()
	}
	return string(buf[:n])
}
