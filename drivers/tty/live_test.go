package tty_test

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/tty"
	"github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/servers/pm"
)

// A live keyboard is read by a host goroutine; the tests type into a pipe
// from the host, and assert only on what was read, never on times.

func TestLiveKeyboard(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			in, typist := io.Pipe()
			r := bootTTY(t, pl.inKernel, hw.Options{In: in, Interactive: true, IdleNs: 1_000_000})
			go func() {
				typist.Write([]byte("hi\r"))
				typist.Close() // the terminal goes away: a hangup
			}()
			var reads []string
			r.client(t, "reader", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) {
				reads = append(reads, readString(c, h), readString(c, h))
			})
			r.run(t)
			assert.Equal(t, []string{"hi\n", ""}, reads, "the line (CR typed as Enter), then end of file at the hangup")
			assert.Equal(t, "hi\n", r.out.String())
		})
	}
}

func TestHangupEndsTheRun(t *testing.T) {
	in, typist, err := os.Pipe() // a keyboard nobody types on, polled by the pump
	require.NoError(t, err)
	defer in.Close()
	defer typist.Close()
	r := bootTTY(t, false, hw.Options{In: in, Interactive: true, IdleNs: 1_000_000})
	var got string
	r.client(t, "reader", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) { got = readString(c, h) })
	r.client(t, "session", func(sys ipc.Sys, c streamproto.Client, h streamproto.Handle) {
		assert.NoError(t, sys.Sleep(20_000_000))
		_, err := c.Ioctl(h, streamproto.IoctlHangup, 0)
		assert.NoError(t, err)
	})
	r.run(t) // returns: once hung up, the console keeps nothing alive
	assert.Equal(t, "", got, "the waiting read gets end of file")
	assert.Positive(t, r.uart.Stats().IdleWaits, "the console listened while nothing was typed")
	require.NoError(t, r.uart.Close())
}

func TestRestartWhileReading(t *testing.T) {
	in, typist := io.Pipe()
	r := bootTTY(t, false, hw.Options{In: in, Interactive: true, IdleNs: 1_000_000})
	var first error
	var after string
	r.client(t, "reader", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) {
		buf := make([]byte, 64)
		_, first = c.Read(h, buf)
		after = readString(c, h) // the retry, with the same handle, on the new driver
	})
	_, err := r.k.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
		assert.NoError(t, sys.Sleep(5_000_000))
		assert.NoError(t, sys.Kill(r.ttyEp))
		_, err := sys.Spawn(r.instance(tty.New(tty.Options{Listen: true})))
		assert.NoError(t, err)
		assert.NoError(t, sys.Sleep(5_000_000))
		typist.Write([]byte("after the restart\n")) // the pump reads it at once
		typist.Close()
	}})
	require.NoError(t, err)
	r.run(t)
	assert.ErrorIs(t, first, linux.ECONNRESET, "the read waiting in the dead driver fails once")
	assert.Equal(t, "after the restart\n", after)
	for _, s := range r.k.Services() {
		if s.Name == streamproto.TTY {
			assert.Equal(t, int64(1), s.Stats.Restarts)
		}
	}
}

// loop sleeps until a signal ends it (or gives up after 100 s).
func loop(sys ipc.Sys, _, _ []string) int {
	for i := 0; i < 100; i++ {
		sys.Sleep(1_000_000_000)
	}
	return 0
}

func TestInterruptKillsTheForegroundJobThroughPM(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootTTY(t, pl.inKernel, hw.Options{In: strings.NewReader("\x03")})
			_, err := r.k.Declare(pmproto.Name)
			require.NoError(t, err)
			srv := pm.New(pm.Options{Programs: map[string]pmproto.Program{"/bin/loop": loop}})
			_, err = r.k.Spawn(ipc.TaskSpec{Name: "pm", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, pmproto.Name, srv) }})
			require.NoError(t, err)
			var reads []string
			var status linux.WaitStatus
			_, err = r.k.Spawn(pm.Adopt("init", func(sys ipc.Sys, _, _ []string) int {
				p, _ := pmproto.Dial(sys)
				pid, err := p.Spawn("/bin/loop", nil, nil, &pmproto.SpawnAttr{Flags: pmproto.SpawnSetPgroup})
				if !assert.NoError(t, err) {
					return 1
				}
				c, _ := streamproto.Dial(sys, streamproto.TTY)
				h, _ := c.OpenStream("", linux.O_RDWR)
				assert.NoError(t, c.SetForeground(h, pid))
				reads = append(reads, readString(c, h), readString(c, h))
				_, status, err = p.Wait(pid, 0)
				assert.NoError(t, err)
				return 0
			}, nil, nil))
			require.NoError(t, err)
			r.run(t)
			assert.True(t, status.Signaled() && status.Signal() == linux.SIGINT, "the job ended by SIGINT, status %#x", status)
			assert.Equal(t, []string{"error: " + linux.EINTR.Error(), ""}, reads)
			assert.Equal(t, "^C\n", r.out.String())
		})
	}
}

func TestConsoleHangsUpWhenItsLeaderDies(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			in, typist, err := os.Pipe() // nobody types
			require.NoError(t, err)
			defer in.Close()
			defer typist.Close()
			r := bootTTY(t, pl.inKernel, hw.Options{In: in, Interactive: true, IdleNs: 1_000_000})
			r.client(t, "init", func(sys ipc.Sys, _ streamproto.Client, _ streamproto.Handle) {
				sys.Sleep(5_000_000) // the session leader: it opened the console first
			})
			var got string
			r.client(t, "shell", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) { got = readString(c, h) })
			r.run(t) // ends: the leader's death hangs the console up
			assert.Equal(t, "", got, "end of file for the reader left")
			require.NoError(t, r.uart.Close())
		})
	}
}
