package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// slackNs bounds the kernel's own costs (trap, switch, tick handler) that a
// wake-up may add to the requested virtual time under the l4 profile.
const slackNs = 1000

// Sleep wakes the task when the virtual clock has advanced by the time
// asked, not earlier and not much later.
func TestSleepWakesOnTime(t *testing.T) {
	for _, d := range []int64{0, 1, 999, 10_000_000, 1_500_000_000} {
		t.Run(kernel.FormatNs(d), func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var t0, t1 int64
			var err error
			spawn(t, k, "sleeper", func(sys ipc.Sys) {
				sys.Sleep(123) // start off a tick boundary
				t0 = sys.Now()
				err = sys.Sleep(d)
				t1 = sys.Now()
			})
			run(t, k)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, t1-t0, d, "woke early")
			assert.Less(t, t1-t0, d+slackNs, "woke late")
		})
	}
}

// Sleepers wake in deadline order, whatever order they went to sleep in.
func TestSleepersWakeInDeadlineOrder(t *testing.T) {
	k := boot(t, kernel.Config{})
	var woke []string
	for _, s := range []struct {
		name string
		ns   int64
	}{{"3ms", 3_000_000}, {"1ms", 1_000_000}, {"2ms", 2_000_000}, {"1ms again", 1_000_000}} {
		spawn(t, k, s.name, func(sys ipc.Sys) {
			sys.Sleep(s.ns)
			woke = append(woke, s.name)
		})
	}
	run(t, k)
	assert.Equal(t, []string{"1ms", "1ms again", "2ms", "3ms"}, woke)
}

// SetTimer posts its bits as a notification at the deadline; a new timer
// replaces the old one and deadline 0 cancels it.
func TestSetTimer(t *testing.T) {
	type got struct {
		Type ipc.Type
		Bits uint64
		At   int64 // when it was received, rounded down to 1 µs
	}
	const poke = 10_000_000 // another task sends a plain message then
	tests := []struct {
		name  string
		setup func(sys ipc.Sys)
		want  []got
	}{
		{"fires at the deadline", func(sys ipc.Sys) {
			assert.NoError(t, sys.SetTimer(2_000_000, 0x10))
		}, []got{{ipc.Notification, 0x10, 2_000_000}, {tPing, 0, poke}}},
		{"a deadline in the past fires at once", func(sys ipc.Sys) {
			sys.Sleep(3_000_000)
			assert.NoError(t, sys.SetTimer(1_000_000, 0x1))
		}, []got{{ipc.Notification, 0x1, 3_000_000}, {tPing, 0, poke}}},
		{"a new timer replaces the old", func(sys ipc.Sys) {
			assert.NoError(t, sys.SetTimer(2_000_000, 0x1))
			assert.NoError(t, sys.SetTimer(4_000_000, 0x2))
		}, []got{{ipc.Notification, 0x2, 4_000_000}, {tPing, 0, poke}}},
		{"deadline 0 cancels", func(sys ipc.Sys) {
			assert.NoError(t, sys.SetTimer(2_000_000, 0x1))
			assert.NoError(t, sys.SetTimer(0, 0x8)) // the bits do not matter
		}, []got{{tPing, 0, poke}}},
		{"the timer waits for a receive from anyone", func(sys ipc.Sys) {
			assert.NoError(t, sys.SetTimer(2_000_000, 0x4))
			sys.Sleep(5_000_000)
		}, []got{{ipc.Notification, 0x4, 5_000_000}, {tPing, 0, poke}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := boot(t, kernel.Config{})
			var msgs []got
			r := spawn(t, k, "receiver", func(sys ipc.Sys) {
				tt.setup(sys)
				for len(msgs) < 2 {
					var m ipc.Message
					if sys.Receive(ipc.Any, &m) != nil {
						return
					}
					bits := uint64(0)
					if m.Type == ipc.Notification {
						bits = m.Word(0)
					}
					msgs = append(msgs, got{m.Type, bits, sys.Now() / 1000 * 1000})
				}
			})
			spawn(t, k, "poker", func(sys ipc.Sys) {
				sys.Sleep(poke)
				assert.NoError(t, sys.Send(r, &ipc.Message{Type: tPing}))
			})
			run(t, k)
			assert.Equal(t, tt.want, msgs)
		})
	}
}

// Ticks happen at HZ while a CPU is busy and stop when every CPU is idle.
func TestTicksFollowHZ(t *testing.T) {
	for _, hz := range []int{100, 1000} {
		t.Run(kernel.FormatNs(int64(1e9/hz)), func(t *testing.T) {
			k := boot(t, kernel.Config{HZ: hz})
			spawn(t, k, "busy", func(sys ipc.Sys) {
				sys.Compute(100_000_000) // 100 ms
				sys.Sleep(1_000_000_000) // idle: no ticks
			})
			run(t, k)
			// Each of the two busy periods may end with one tick, already
			// queued, that finds the CPU idle; the idle second has none.
			want := int64(100_000_000 / (1e9 / hz))
			ticks := k.Stats().Ticks
			assert.GreaterOrEqual(t, ticks, want, "ticks at %d Hz", hz)
			assert.LessOrEqual(t, ticks, want+2, "ticks at %d Hz", hz)
			assert.GreaterOrEqual(t, k.Now(), int64(1_100_000_000))
		})
	}
}
