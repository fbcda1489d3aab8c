package kernel

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
)

// The meter's cached slot gives the same counts as finding the slot each
// time: going back to an older slot, reusing a ring position for a newer
// slot, and counting in a copy leave every slot right.
func TestMeterCachedSlot(t *testing.T) {
	const slot = 10
	arrived := func(m *meter, now int64) int64 {
		var out ipc.BusMetrics
		m.read(now, slot, &out)
		return out.Arrived
	}
	var m meter
	m.arrive(5, slot)
	m.arrive(15, slot)
	m.arrive(7, slot) // back to slot 0, still in the window
	assert.Equal(t, int64(3), arrived(&m, 19))

	c := m
	c.arrive(16, slot)
	assert.Equal(t, int64(4), arrived(&c, 19), "the copy counts in its own slots")
	assert.Equal(t, int64(3), arrived(&m, 19), "the original is untouched by the copy")

	m.arrive(5+slot*meterSlots, slot) // slot 0's ring position, a newer slot
	assert.Equal(t, int64(2), arrived(&m, 5+slot*meterSlots), "slot 0 is stale and forgotten; slot 1 and the new one count")
	// A time before 0 counts in slot 0, which takes its ring position
	// back, as it did before the cache; the next count finds its slot anew
	// instead of writing into slot 0 through a stale cache.
	m.arrive(-3, slot)
	m.arrive(5+slot*meterSlots, slot)
	assert.Equal(t, int64(2), arrived(&m, 5+slot*meterSlots))
}
