package tty_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

func TestScriptIsReadAsProgramsRead(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootTTY(t, pl.inKernel, hw.Options{In: strings.NewReader("hello\nworld\n")})
			var reads []string
			r.client(t, "cat", func(sys ipc.Sys, c streamproto.Client, h streamproto.Handle) {
				for {
					s := readString(c, h)
					reads = append(reads, s)
					if s == "" || strings.HasPrefix(s, "error") {
						return
					}
					_, err := c.Write(h, []byte("got "+s))
					assert.NoError(t, err)
				}
			})
			r.run(t)
			assert.Equal(t, []string{"hello\n", "world\n", ""}, reads, "two lines, then end of file at the end of the script")
			assert.Equal(t, "hello\ngot hello\nworld\ngot world\n", r.out.String(), "echo and output, in order")
		})
	}
}

func TestConsoleNobodyReadsLetsTheRunEnd(t *testing.T) {
	r := bootTTY(t, false, hw.Options{In: strings.NewReader("never read\n")})
	r.client(t, "writer", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) {
		_, err := c.Write(h, []byte("only output\n"))
		assert.NoError(t, err)
	})
	r.run(t)
	assert.Equal(t, "only output\n", r.out.String())
	assert.Zero(t, r.uart.Stats().BytesIn, "a script is read only as programs read it")
}

func TestRawModeByIoctl(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootTTY(t, pl.inKernel, hw.Options{In: strings.NewReader("ab\x7f\x03\r")})
			var old, mode uint64
			var got string
			r.client(t, "editor", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) {
				var err error
				old, err = c.SetMode(h, streamproto.ModeRaw)
				assert.NoError(t, err)
				mode, err = c.Mode(h)
				assert.NoError(t, err)
				got = readString(c, h)
			})
			r.run(t)
			assert.Equal(t, streamproto.ModeCooked, old, "the mode at boot")
			assert.Equal(t, streamproto.ModeRaw, mode)
			assert.Equal(t, "ab\x7f\x03\r", got, "every byte, unchanged")
			assert.Empty(t, r.out.String(), "no echo in raw mode")
		})
	}
}

func TestLargeWriteIsShownWhole(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootTTY(t, pl.inKernel, hw.Options{})
			data := []byte(strings.Repeat("0123456789abcdef", 10<<10)) // 160 KiB: three bulk writes
			var n int
			r.client(t, "writer", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) {
				var err error
				n, err = c.Write(h, data)
				assert.NoError(t, err)
			})
			r.run(t)
			assert.Equal(t, len(data), n)
			assert.Equal(t, string(data), r.out.String())
		})
	}
}

func TestBadRequests(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootTTY(t, pl.inKernel, hw.Options{})
			r.client(t, "prober", func(sys ipc.Sys, c streamproto.Client, h streamproto.Handle) {
				_, err := c.OpenStream("tty9", linux.O_RDONLY)
				assert.ErrorIs(t, err, linux.ENOENT, "an unknown name")
				_, err = c.Read(streamproto.Handle(12345), make([]byte, 4))
				assert.ErrorIs(t, err, linux.EBADF, "a handle the console never gave")
				ro, err := c.OpenStream("console", linux.O_RDONLY)
				require.NoError(t, err)
				_, err = c.Write(ro, []byte("x"))
				assert.ErrorIs(t, err, linux.EBADF, "a write on a read-only handle")
				wo, err := c.Dup(h)
				assert.NoError(t, err)
				assert.NotEqual(t, h, wo)
				assert.NoError(t, c.Close(wo))
				_, err = c.Ioctl(h, 999, 0)
				assert.ErrorIs(t, err, linux.ENOTTY)
				assert.ErrorIs(t, c.SetForeground(h, 0), linux.EINVAL)
				_, _, err = c.Pipe()
				assert.ErrorIs(t, err, linux.ENOSYS)
			})
			r.run(t)
		})
	}
}

// fakePM is a "pm" that records the kills it is asked for.
type fakePM struct{ kills [][2]int64 }

func (f *fakePM) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message {
	if req.Type == pmproto.Kill {
		f.kills = append(f.kills, [2]int64{int64(req.Word(0)), int64(req.Word(1))})
	}
	return ipc.Reply(req)
}

func TestInterruptSignalsTheForegroundGroup(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootTTY(t, pl.inKernel, hw.Options{In: strings.NewReader("ab\x03cd\n\x1c")})
			pm := &fakePM{}
			_, err := r.k.Place(pmproto.Name, pm)
			require.NoError(t, err)
			var fg int
			var reads []string
			r.client(t, "shell", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) {
				assert.NoError(t, c.SetForeground(h, 42))
				fg, _ = c.Foreground(h)
				for i := 0; i < 4; i++ {
					reads = append(reads, readString(c, h))
				}
			})
			r.run(t)
			assert.Equal(t, 42, fg)
			assert.Equal(t, [][2]int64{{-42, int64(linux.SIGINT)}, {-42, int64(linux.SIGQUIT)}}, pm.kills, "kill(-pgid, sig)")
			assert.Equal(t, []string{"error: " + linux.EINTR.Error(), "cd\n", "error: " + linux.EINTR.Error(), ""}, reads,
				"the waiting read is interrupted; the line typed after ^C is read; ^\\ interrupts; then end of file")
			assert.Equal(t, "ab^C\ncd\n^\\\n", r.out.String())
		})
	}
}

func TestInterruptWithoutForegroundGroupOnlyFlushes(t *testing.T) {
	r := bootTTY(t, false, hw.Options{In: strings.NewReader("ab\x03cd\n")})
	pm := &fakePM{}
	_, err := r.k.Place(pmproto.Name, pm)
	require.NoError(t, err)
	var got string
	r.client(t, "reader", func(_ ipc.Sys, c streamproto.Client, h streamproto.Handle) { got = readString(c, h) })
	r.run(t)
	assert.Empty(t, pm.kills)
	assert.Equal(t, "cd\n", got)
}
