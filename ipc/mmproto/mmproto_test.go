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
