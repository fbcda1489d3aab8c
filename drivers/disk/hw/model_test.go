package hw

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The default HDD on a 64 MiB disk of 4 KiB blocks: 100 MB/s for 8.333 ms
// a revolution puts 203 blocks on a track, so the disk has 81 cylinders
// and a third of them (27) is the average seek.
func TestHDDGeometry(t *testing.T) {
	h := newHDD(DefaultHDD, 4096, 16384)
	assert.Equal(t, int64(8_333_333), h.revNs, "revolution at 7200 rpm")
	assert.Equal(t, int64(203), h.perTrack, "blocks per track")
	assert.Equal(t, int64(81), h.cylinders, "cylinders")
}

func TestHDDSeekCurve(t *testing.T) {
	h := newHDD(DefaultHDD, 4096, 16384)
	for _, c := range []struct {
		name      string
		cylinders int64
		wantNs    int64
	}{
		{"no move", 0, 0},
		{"track to track", 1, 1_000_000},
		{"two tracks", 2, 2_470_871},  // 1 ms + 7.5 ms × √(1/26)
		{"ten tracks", 10, 5_412_613}, // 1 ms + 7.5 ms × √(9/26)
		{"a third: average", 27, 8_500_000},
		{"full stroke", 80, 14_073_388}, // 1 ms + 7.5 ms × √(79/26)
	} {
		assert.Equal(t, c.wantNs, h.seekNs(c.cylinders), "%s: seekNs(%d)", c.name, c.cylinders)
	}
}

// The rotational wait depends on where the platter is at that virtual
// time: block k of a track passes under the head k/203 of a revolution
// after each whole revolution.
func TestHDDRotation(t *testing.T) {
	h := newHDD(DefaultHDD, 4096, 16384)
	for _, c := range []struct {
		name   string
		t      int64
		block  int64
		wantNs int64
	}{
		{"under the head", 0, 0, 0},
		{"next sector", 0, 1, 41_050},                              // 8333333/203
		{"just missed", 1_000, 0, 8_332_333},                       // a whole turn less 1 µs
		{"same angle, other track", 8_333_333, 203, 0},             // one turn later, one track in
		{"last sector", 0, 202, 8_292_282},                         // 202 × 41050.9
		{"just behind, half a turn on", 4_166_666, 101, 8_312_808}, // block 101 is at 4146141 ns: wait 20525 ns short of a turn
	} {
		assert.Equal(t, c.wantNs, h.rotationNs(c.t, c.block), "%s: rotationNs(%d, %d)", c.name, c.t, c.block)
	}
}

// plan charges seek + rotation + transfer, and nothing but the transfer
// for an operation that continues the previous one.
func TestHDDPlan(t *testing.T) {
	h := newHDD(DefaultHDD, 4096, 16384)
	steps := []struct {
		name  string
		now   int64
		block int64
		count int
		want  Timing
	}{
		{"first, at the parked head", 0, 0, 1, Timing{TransferNs: 40_960}},
		{"sequential", 40_960, 1, 16, Timing{TransferNs: 655_360}},
		{"a third of the disk away", 1_000_000, 27 * 203, 1,
			Timing{SeekNs: 8_500_000, RotationNs: 8_333_333 - 9_500_000%8_333_333, TransferNs: 40_960, Cylinders: 27}},
		{"same track, behind the head", 20_000_000, 27*203 + 5, 2,
			Timing{RotationNs: (5*8_333_333/203 - 20_000_000%8_333_333 + 8_333_333) % 8_333_333, TransferNs: 81_920}},
		{"back to cylinder 0", 30_000_000, 100, 1,
			Timing{SeekNs: 8_500_000, RotationNs: (100*8_333_333/203 - 38_500_000%8_333_333 + 8_333_333) % 8_333_333, TransferNs: 40_960, Cylinders: 27}},
	}
	for _, s := range steps {
		assert.Equal(t, s.want, h.plan(s.now, false, s.block, s.count), s.name)
	}
}

func TestSSDPlan(t *testing.T) {
	s := &ssd{p: DefaultSSD, blockSize: 4096}
	assert.Equal(t, Timing{AccessNs: 25_000, TransferNs: 8_192}, s.plan(0, false, 12345, 1), "4 KiB read")
	assert.Equal(t, Timing{AccessNs: 200_000, TransferNs: 131_072}, s.plan(0, true, 0, 16), "64 KiB write")
	assert.Equal(t, int64(33_192), s.plan(5, false, 9, 1).TotalNs(), "wherever the block is")
}
