package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// timed is a server that arms a timer from its handler and records when
// its Notified runs, and with which bits.
type timed struct {
	armErr error
	at     []int64
	bits   []uint64
}

func (s *timed) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	s.armErr = ctx.Sys.SetTimer(ctx.Sys.Now()+int64(req.Word(0)), 0x40)
	return ipc.Reply(req)
}

func (s *timed) Notified(ctx *ipc.Ctx, bits uint64) {
	s.at, s.bits = append(s.at, ctx.Sys.Now()), append(s.bits, bits)
}

// A server placed in the kernel may arm a timer (SetTimer from its
// handler): its kernel thread is notified at the deadline and Notified
// runs, as for a server task; a new deadline replaces the old one.
func TestInKernelSetTimer(t *testing.T) {
	k := boot(t, kernel.Config{})
	srv := &timed{}
	_, err := k.Place("timed", srv)
	require.NoError(t, err)
	var callAt int64
	spawn(t, k, "client", func(sys ipc.Sys) {
		var rep ipc.Message
		_ = sys.Call(service(t, sys, "timed"), word(1, 500_000), &rep) // replaced by the next
		callAt = sys.Now()
		_ = sys.Call(service(t, sys, "timed"), word(1, 100_000), &rep)
	})
	run(t, k)
	require.NoError(t, srv.armErr)
	require.Len(t, srv.at, 1, "Notified calls")
	assert.Equal(t, uint64(0x40), srv.bits[0])
	assert.GreaterOrEqual(t, srv.at[0], callAt+100_000)
	assert.Less(t, srv.at[0], callAt+500_000)
}
