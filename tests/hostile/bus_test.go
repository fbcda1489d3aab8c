package hostile_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
)

// A program could forge the kernel's death notices or rs's state changes,
// hijack another client's stream, or flood the bus: it may publish only on
// the topics of a service it serves (none), accept only a stream whose
// client calls it, and scale nothing unless root; its subscriptions are
// bounded.
func TestBusAttacks(t *testing.T) {
	forModes(t, func(t *testing.T, tg *target) {
		var victimFrames int
		var victim ipc.StreamID
		tg.program(t, "victim", func(sys ipc.Sys) {
			s, err := ipc.OpenStream(sys, 4)
			if assert.NoError(t, err) {
				victim = s.ID
			}
			_ = sys.Sleep(1_000_000)
			for sys.Bus(&ipc.BusRequest{Op: ipc.StreamRecv, Stream: s.ID}) == nil {
				victimFrames++
			}
		})
		tg.programAs(t, "attacker", func(sys ipc.Sys) {
			_ = sys.Sleep(1000)
			m := ipc.Message{Type: ipc.ExitEvent}
			for _, topic := range []string{ipc.TopicExit, rsproto.TopicState, "kernel", "fs/x"} {
				assert.ErrorIs(t, ipc.Publish(sys, topic, &m), ipc.ErrPerm, "publish on %s", topic)
			}
			for _, op := range []ipc.BusOp{ipc.StreamAccept, ipc.StreamEmit, ipc.StreamEnd, ipc.StreamGrant, ipc.StreamCancel, ipc.StreamRecv} {
				assert.ErrorIs(t, sys.Bus(&ipc.BusRequest{Op: op, Stream: victim, Credits: 1}), ipc.ErrPerm, "op %d on the victim's stream", op)
			}
			assert.Error(t, sys.Bus(&ipc.BusRequest{Op: ipc.StreamRecv, Stream: victim + 1<<32}), "a forged generation")
			n := 0
			for i := 0; i < 100; i++ {
				if ipc.Subscribe(sys, string(rune('a'+i%26))+string(rune('a'+i/26)), ipc.MaxDepth) == nil {
					n++
				}
			}
			assert.Equal(t, ipc.MaxSubscriptions, n, "subscriptions granted")
			if rs, err := rsproto.Dial(sys); assert.NoError(t, err) {
				_, _, err := rs.Scale("echo", 4)
				assert.ErrorIs(t, err, ipc.ErrPerm, "scale is root's")
				_, err = rs.Stats()
				assert.NoError(t, err, "reading the metrics is everyone's")
			}
		})
		tg.run(t)
		assert.Zero(t, victimFrames, "frames the victim received from nobody")
	})
}
