package nic_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel"
)

// latencyNs is the wire's latency in the two-machine tests, and the
// group's lookahead.
const latencyNs = 50_000

// twoMachines runs two kernels in a group, their cards on one switch
// (link l, seeded with seed): each machine's sender sends n frames to the
// other, each machine's net reads what arrives. It returns the run's
// trace — every send and every receipt with its virtual time, machine by
// machine — and the switch's counters.
func twoMachines(t *testing.T, l hw.Link, seed uint64, n int) (string, hw.SwitchStats) {
	g, err := kernel.NewGroup(latencyNs)
	require.NoError(t, err)
	sw, err := hw.NewSwitch(g, hw.SwitchOptions{Seed: seed, Link: l})
	require.NoError(t, err)
	var logs [2]strings.Builder
	var outs [2]*[]got
	for i := range 2 {
		m := bootMachine(t, placements[i].place, i, hw.Options{}, uint64(i+1)) // one driver in user space, one in the kernel
		_, err := sw.Attach(g.Add(m.k), m.card)
		require.NoError(t, err)
		outs[i] = m.net(t, n)
		peer := hw.HostMAC(1-i, 0)
		m.task(t, "sender", func(sys ipc.Sys, c nicproto.Client) {
			for s := range n {
				sys.Compute(3_000) // making the frame
				if assert.NoError(t, c.Send(frame(peer, m.card.MAC(), uint32(s), 100+s*20))) {
					fmt.Fprintf(&logs[i], "send %d at %d\n", s, sys.Now())
				}
			}
		})
	}
	require.NoError(t, g.Run())
	var out strings.Builder
	for i := range 2 {
		out.WriteString(logs[i].String())
		for _, r := range *outs[i] {
			fmt.Fprintf(&out, "machine %d got %d (%d bytes) at %d\n", i, seqOf(r.frame), len(r.frame), r.atNs)
		}
	}
	return out.String(), sw.Stats()
}

// Two machines exchange frames through the switch: every frame arrives,
// intact, no sooner than its sending plus its serialization and the wire's
// latency; the same seeds give the same trace, byte for byte.
func TestTwoMachinesExchangeFrames(t *testing.T) {
	const n = 20
	a, st := twoMachines(t, hw.Link{LatencyNs: latencyNs}, 1, n)
	b, _ := twoMachines(t, hw.Link{LatencyNs: latencyNs}, 1, n)
	assert.Equal(t, a, b, "the same run twice")
	assert.Equal(t, int64(2*n), st.Delivered)
	sent := map[string]int64{}
	got := 0
	for _, line := range strings.Split(strings.TrimSpace(a), "\n") {
		var machine, seq, size int
		var at int64
		if _, err := fmt.Sscanf(line, "send %d at %d", &seq, &at); err == nil {
			sent[fmt.Sprint(len(sent)/n, seq)] = at
			continue
		}
		_, err := fmt.Sscanf(line, "machine %d got %d (%d bytes) at %d", &machine, &seq, &size, &at)
		require.NoError(t, err, line)
		from := sent[fmt.Sprint(1-machine, seq)]
		assert.GreaterOrEqual(t, at, from+latencyNs+672, "frame %d to machine %d sent at %d", seq, machine, from)
		assert.Equal(t, 100+seq*20, size)
		got++
	}
	assert.Equal(t, 2*n, got, "every frame arrived")
}

// With loss, duplication and reordering on the wire, the run is still the
// same for the same seed, and differs for another.
func TestTwoMachinesFaultyWireIsSeeded(t *testing.T) {
	l := hw.Link{LatencyNs: latencyNs, Loss: 0.2, Dup: 0.1, Reorder: 0.3, ReorderNs: 40_000}
	a, sa := twoMachines(t, l, 7, 40)
	b, sb := twoMachines(t, l, 7, 40)
	c, _ := twoMachines(t, l, 8, 40)
	assert.Equal(t, a, b, "same seed, same trace")
	assert.Equal(t, sa, sb)
	assert.NotEqual(t, a, c, "another seed, another trace")
	assert.Positive(t, sa.Lost)
	assert.Positive(t, sa.Duplicated)
	assert.Positive(t, sa.Reordered)
}
