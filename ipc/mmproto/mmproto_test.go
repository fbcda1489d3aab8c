package mmproto

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
)

func TestStatsRoundTrip(t *testing.T) {
	s := Stats{Resident: 1023, Limit: 64, Faults: 1 << 40, Major: 7, Evictions: 99, SwapOuts: 42, Segv: 3}
	var m ipc.Message
	EncodeStats(&m, s)
	assert.Equal(t, s, DecodeStats(&m))
}

func TestTaskStatsRoundTrip(t *testing.T) {
	for _, s := range []TaskStats{
		{Task: ipc.Endpoint(5<<32 | 3), Resident: 12, Virtual: 1 << 20, Swapped: 7, Minor: 40, Major: 2, Segv: 1},
		{Task: ipc.Endpoint(9), Minor: 1 << 40, Exited: true},
	} {
		var m ipc.Message
		EncodeTaskStats(&m, s)
		assert.Equal(t, s, DecodeTaskStats(&m))
	}
}

// TestEveryRequestHasAName: the table of names covers every request.
func TestEveryRequestHasAName(t *testing.T) {
	for typ := Brk; typ <= LastRequest; typ++ {
		assert.NotEmpty(t, Names[typ], "request %d", typ)
	}
	assert.Len(t, Names, int(LastRequest))
}
