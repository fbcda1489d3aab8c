package hw

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRecord shows the record holds each read and write started while it
// is on, in order, with the timing Start charged: its total is the time
// Start said the operation ends.
func TestRecord(t *testing.T) {
	d := open(t, Options{}) // 64 MiB HDD: 203 blocks a track
	buf := pattern(1, 1)
	now, _ := do(t, d, 0, OpRead, 7, buf)
	assert.Empty(t, d.Records(), "before Record(true)")
	d.Record(true)
	starts := []int64{now}
	now, _ = do(t, d, now, OpWrite, 203*20, buf)
	starts = append(starts, now)
	end, _ := do(t, d, now, OpRead, 203*20+1, buf)
	recs := d.Records()
	if assert.Len(t, recs, 2) {
		assert.Equal(t, OpRecord{StartNs: starts[0], Write: true, Block: 203 * 20, Count: 1, Timing: recs[0].Timing}, recs[0])
		assert.Equal(t, int64(20), recs[0].Cylinders, "seek from cylinder 0 to 20")
		assert.Equal(t, starts[1], recs[0].StartNs+recs[0].TotalNs(), "the write ends when Start said")
		assert.Equal(t, OpRecord{StartNs: starts[1], Block: 203*20 + 1, Count: 1, Timing: Timing{TransferNs: recs[1].TransferNs}}, recs[1], "sequential: transfer only")
		assert.Equal(t, end, recs[1].StartNs+recs[1].TotalNs())
	}
	d.Record(false)
	do(t, d, end, OpRead, 0, buf)
	assert.Empty(t, d.Records(), "after Record(false)")
}
