package tty_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// A poller armed on the console before a line is typed gets PollBit when
// it is, finds it readable, and leaves no registration; a bad arm word
// gets EINVAL.
func TestArmedConsoleWakesOnInput(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootTTY(t, pl.inKernel, hw.Options{In: strings.NewReader("typed\n")})
			var armed bool
			var before, after uint64
			var woke uint64
			var badErr error
			r.client(t, "poller", func(sys ipc.Sys, c streamproto.Client, h streamproto.Handle) {
				req := ipc.Message{Type: streamproto.Ready}
				req.SetWord(0, uint64(h))
				req.SetWord(1, ^uint64(0))
				_, badErr = ipc.Do(sys, c.Dst, &req, nil, streamproto.Errnos)
				var err error
				before, armed, err = c.ReadyAndArm(h, linux.POLLIN)
				assert.NoError(t, err)
				var m ipc.Message
				assert.NoError(t, sys.Receive(ipc.KernelEndpoint, &m))
				woke = m.Word(0)
				after, err = c.Ready(h)
				assert.NoError(t, err)
				_ = readString(c, h)
			})
			r.run(t)
			assert.ErrorIs(t, badErr, linux.EINVAL, "Ready() with a bad arm word")
			assert.True(t, armed, "ReadyAndArm() armed")
			assert.Equal(t, uint64(linux.POLLOUT), before, "ReadyAndArm() bits before the line")
			assert.Equal(t, streamproto.PollBit, woke, "the notification the poller got")
			assert.NotZero(t, after&linux.POLLIN, "Ready() after the wake-up = %#x, want POLLIN", after)
			assert.Zero(t, r.drv.Pollers(), "Pollers() at the end")
		})
	}
}
