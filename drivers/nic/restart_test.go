package nic_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
)

// instance returns the first live instance of the named service, or 0.
func instance(sys *boot.System, name string) ipc.Endpoint {
	for _, si := range sys.Kernel.Services() {
		if si.Name == name && len(si.Instances) > 0 {
			return si.Instances[0]
		}
	}
	return 0
}

// The driver is killed while its transmit queue holds frames, on a booted
// system with a loopback card, and frames it took off the card wait in its
// receive queue (net sleeps): rs restarts it, the frames in the dead
// instance's queues are lost (the card never sent the ones, net never
// reads the others), and the frames sent after the restart all come back.
// Nothing hangs.
func TestDriverKilledWithAFullQueue(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			cfg := boot.Default()
			cfg.Mode = mode
			cfg.Workload.Clients = 0
			cfg.NIC = &boot.NICConf{Loopback: true, Speed: 10_000_000} // 67 µs a short frame
			sys, err := boot.Boot(cfg, nil)
			require.NoError(t, err)
			defer sys.Close()
			const before, after = 100, 10
			var sent, got []uint32
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "net", Body: func(s ipc.Sys) {
				_, err := s.Register(nicproto.NotifyService)
				assert.NoError(t, err)
				dst, _ := ipc.Dial(s, nicproto.Name)
				c := nicproto.Client{Sys: s, Dst: dst}
				mac := sys.NIC.MAC()
				send := func(from, to int) {
					for i := from; i < to; i++ {
						if assert.NoError(t, c.Send(frame(mac, mac, uint32(i), 60)), "send %d", i) {
							sent = append(sent, uint32(i))
						}
					}
				}
				read := func() {
					buf := make([]byte, ipc.MaxBulk)
					for tries := 0; tries < 50; tries++ {
						frames, err := c.Recv(buf, 0)
						for _, f := range frames {
							got = append(got, seqOf(f))
						}
						if err != nil {
							s.Sleep(1_000_000)
						}
					}
				}
				send(0, before)
				s.Sleep(20_000_000) // the kill comes at 1 ms, with about 85 frames queued
				read()
				send(before, before+after)
				read()
			}})
			require.NoError(t, err)
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "killer", Body: func(s ipc.Sys) {
				s.Sleep(1_000_000)
				ep := instance(sys, nicproto.Name)
				if assert.NotZero(t, ep, "a live NIC driver") {
					assert.NoError(t, s.Kill(ep))
				}
			}})
			require.NoError(t, err)
			_, err = sys.Run()
			require.NoError(t, err)

			require.Len(t, sys.Restarts, 1)
			assert.Equal(t, nicproto.Name, sys.Restarts[0].Server)
			assert.Len(t, sent, before+after, "every send was accepted")
			st := sys.NIC.Stats()
			lost := int64(len(sent)) - st.TxFrames
			assert.Positive(t, lost, "frames in the dead instance's queue are lost")
			assert.Less(t, lost, int64(before), "frames sent before the kill went out")
			assert.Equal(t, st.TxFrames, st.RxFrames, "every frame on the wire came back to the card")
			assert.Positive(t, st.RxFrames-int64(len(got)), "frames in the dead instance's receive queue are lost too")
			for i := before; i < before+after; i++ {
				assert.Contains(t, got, uint32(i), "frame %d, sent after the restart", i)
			}
			assert.IsIncreasing(t, got, "in order, no frame twice")
		})
	}
}
