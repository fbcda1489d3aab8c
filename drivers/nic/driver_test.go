package nic_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/nicproto"
)

// Frames a task sends to the card's own address come back through the
// hairpin switch; net is notified and reads them all, in order, intact.
func TestSendAndReceiveOverLoopback(t *testing.T) {
	for _, p := range placements {
		t.Run(p.name, func(t *testing.T) {
			m := bootMachine(t, p.place, 1, hw.Options{}, 1)
			m.loopback(t)
			const n = 40
			out := m.net(t, n)
			var info nicproto.Card
			m.task(t, "sender", func(sys ipc.Sys, c nicproto.Client) {
				var err error
				info, err = c.Info()
				assert.NoError(t, err)
				for i := range n {
					assert.NoError(t, c.Send(frame(m.card.MAC(), m.card.MAC(), uint32(i), 60+i*30)), "send %d", i)
				}
			})
			require.NoError(t, m.k.Run())
			assert.Equal(t, nicproto.Card{MAC: hw.HostMAC(1, 0), MTU: 1500, SpeedBps: hw.DefaultSpeedBps, Up: true}, info)
			require.Len(t, *out, n)
			for i, g := range *out {
				assert.Equal(t, frame(m.card.MAC(), m.card.MAC(), uint32(i), 60+i*30), g.frame, "frame %d", i)
			}
			s := m.card.Stats()
			assert.Equal(t, int64(n), s.TxFrames)
			assert.Equal(t, int64(n), s.RxRead, "the driver took every frame off the card")
		})
	}
}

// Requests a hostile caller makes get clean errnos and change nothing.
func TestHostileRequests(t *testing.T) {
	for _, p := range placements {
		t.Run(p.name, func(t *testing.T) {
			m := bootMachine(t, p.place, 1, hw.Options{}, 1)
			m.loopback(t)
			cases := []struct {
				name string
				typ  ipc.Type
				w0   uint64
				w1   uint64
				x    *ipc.Extra
				want ipc.Errno
			}{
				{"unknown type", 99, 0, 0, nil, linux.ENOSYS},
				{"kernel's type", ipc.Notification, 0, 0, nil, 0xffff}, // refused by the kernel: any error
				{"send a runt", nicproto.Send, 13, 0, &ipc.Extra{Send: make([]byte, 13)}, linux.EINVAL},
				{"send above the MTU", nicproto.Send, 1515, 0, &ipc.Extra{Send: make([]byte, 1515)}, linux.EMSGSIZE},
				{"send a huge length", nicproto.Send, 1 << 62, 0, &ipc.Extra{Send: make([]byte, 100)}, linux.EMSGSIZE},
				{"send past the window", nicproto.Send, 100, 0, &ipc.Extra{Send: make([]byte, 50)}, linux.EFAULT},
				{"send with no window", nicproto.Send, 100, 0, nil, linux.EFAULT},
				{"recv with nothing waiting", nicproto.Recv, 0, 4096, &ipc.Extra{Recv: make([]byte, 4096)}, linux.EAGAIN},
			}
			errs := map[string]error{}
			m.task(t, "hostile", func(sys ipc.Sys, c nicproto.Client) {
				for _, tc := range cases {
					req := ipc.Message{Type: tc.typ}
					req.SetWord(0, tc.w0)
					req.SetWord(1, tc.w1)
					_, errs[tc.name] = ipc.Do(sys, c.Dst, &req, tc.x, nicproto.Errnos)
				}
				// A frame waits; a window too small for it is EMSGSIZE, one
				// claimed bigger than it is EFAULT; neither loses it.
				assert.NoError(t, c.Send(frame(m.card.MAC(), m.card.MAC(), 7, 200)))
				sys.Sleep(1_000_000)
				for _, small := range []struct {
					claim uint64
					buf   int
					want  ipc.Errno
				}{{100, 100, linux.EMSGSIZE}, {4096, 100, linux.EFAULT}} {
					req := ipc.Message{Type: nicproto.Recv}
					req.SetWord(1, small.claim)
					_, err := ipc.Do(sys, c.Dst, &req, &ipc.Extra{Recv: make([]byte, small.buf)}, nicproto.Errnos)
					assert.ErrorIs(t, err, small.want)
				}
				frames, err := c.Recv(make([]byte, 4096), 0)
				if assert.NoError(t, err) && assert.Len(t, frames, 1) {
					assert.Equal(t, uint32(7), seqOf(frames[0]))
				}
			})
			require.NoError(t, m.k.Run())
			for _, tc := range cases {
				if tc.want == 0xffff {
					assert.Error(t, errs[tc.name], tc.name)
					continue
				}
				assert.ErrorIs(t, errs[tc.name], tc.want, tc.name)
			}
		})
	}
}

// The link goes down and comes back: a frame the card refuses is counted,
// the driver then answers ENETDOWN and Info says so, and once the link is
// up sends go out again. Counters reads the card's own registers.
func TestLinkDownAndUp(t *testing.T) {
	for _, p := range placements {
		t.Run(p.name, func(t *testing.T) {
			m := bootMachine(t, p.place, 1, hw.Options{Down: true}, 1)
			var down, up nicproto.Card
			var errs []error
			var cc nicproto.CardCounters
			var ds nicproto.DriverStats
			m.task(t, "sender", func(sys ipc.Sys, c nicproto.Client) {
				send := func() { errs = append(errs, c.Send(frame(hw.Broadcast, m.card.MAC(), 1, 60))) }
				send() // down from the start: ENETDOWN
				down, _ = c.Info()
				m.card.SetLink(true)
				send() // up again
				sys.Sleep(1_000_000)
				m.card.SetLink(false)
				send() // accepted, refused by the card
				sys.Sleep(1_000_000)
				send() // the driver saw the link go down: ENETDOWN
				m.card.SetLink(true)
				send()
				sys.Sleep(1_000_000)
				up, _ = c.Info()
				var err error
				cc, err = c.Counters()
				assert.NoError(t, err)
				ds, err = c.Stats()
				assert.NoError(t, err)
			})
			require.NoError(t, m.k.Run())
			assert.False(t, down.Up)
			assert.True(t, up.Up)
			want := []error{linux.ENETDOWN, nil, nil, linux.ENETDOWN, nil}
			require.Len(t, errs, len(want))
			for i := range want {
				if want[i] == nil {
					assert.NoError(t, errs[i], "send %d", i)
				} else {
					assert.ErrorIs(t, errs[i], want[i], "send %d", i)
				}
			}
			assert.Equal(t, nicproto.CardCounters{TxFrames: 2, TxBytes: 120, TxErrors: 1}, cc)
			assert.Equal(t, int64(2), ds.TxFrames)
			assert.Equal(t, int64(1), ds.TxDropped)
		})
	}
}

// A slow link fills the transmit queue: the sends past it fail with
// ENOBUFS, and every accepted frame goes out.
func TestTransmitQueueFull(t *testing.T) {
	m := bootMachine(t, placements[0].place, 1, hw.Options{SpeedBps: 1_000_000}, 1)
	var ok, full int
	m.task(t, "sender", func(sys ipc.Sys, c nicproto.Client) {
		for i := range 400 {
			err := c.Send(frame(hw.Broadcast, m.card.MAC(), uint32(i), 60))
			switch {
			case err == nil:
				ok++
			case assert.ErrorIs(t, err, linux.ENOBUFS):
				full++
			}
		}
		sys.Sleep(1_000_000_000) // 300 frames of 672 µs
		st, err := c.Stats()
		assert.NoError(t, err)
		assert.Equal(t, int64(ok), st.TxFrames, "every accepted frame went out")
		assert.Equal(t, int64(full), st.TxDropped)
	})
	require.NoError(t, m.k.Run())
	assert.Equal(t, 400, ok+full)
	assert.Positive(t, full, "the queue filled")
	assert.GreaterOrEqual(t, ok, 256, "the queue holds 256")
	assert.Equal(t, int64(ok), m.card.Stats().TxFrames)
}
