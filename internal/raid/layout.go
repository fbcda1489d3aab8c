package raid

import (
	"errors"
	"fmt"
)

// Level is a RAID level.
type Level int

// The levels a Layout can have.
const (
	Level0 Level = 0 // striping, no redundancy
	Level1 Level = 1 // mirrored pairs of disks, striped
	Level4 Level = 4 // striping with the parity of each stripe on the last disk
	Level5 Level = 5 // striping with the parity rotating over the disks
)

// Layout is one array: its level, its disks and its chunk, the number of
// consecutive logical blocks placed on one disk before the next.
type Layout struct {
	Level       Level
	Disks       int
	ChunkBlocks int64
	// LeftAsymmetric picks RAID 5's left-asymmetric placement; the default
	// is left-symmetric (LS), where a stripe's first data chunk follows
	// its parity.
	LeftAsymmetric bool
}

// ErrLayout is the error of every layout Check refuses.
var ErrLayout = errors.New("raid: bad layout")

// Check returns an error wrapping ErrLayout unless l can map blocks.
func (l Layout) Check() error {
	switch {
	case l.Level != Level0 && l.Level != Level1 && l.Level != Level4 && l.Level != Level5:
		return fmt.Errorf("%w: level %d (want 0, 1, 4 or 5)", ErrLayout, l.Level)
	case l.ChunkBlocks < 1:
		return fmt.Errorf("%w: chunk of %d blocks", ErrLayout, l.ChunkBlocks)
	case l.Disks < 1 || (l.Level != Level0 && l.Disks < 2):
		return fmt.Errorf("%w: %d disks for RAID %d", ErrLayout, l.Disks, l.Level)
	case l.Level == Level1 && l.Disks%2 != 0:
		return fmt.Errorf("%w: RAID 1 needs an even number of disks, not %d", ErrLayout, l.Disks)
	}
	return nil
}

// DataDisks is the number of disks that hold a stripe's data.
func (l Layout) DataDisks() int {
	switch l.Level {
	case Level1:
		return l.Disks / 2
	case Level4, Level5:
		return l.Disks - 1
	}
	return l.Disks
}

// StripeBlocks is the number of logical blocks in one stripe (one chunk
// on every data disk).
func (l Layout) StripeBlocks() int64 { return int64(l.DataDisks()) * l.ChunkBlocks }

// LogicalBlocks is the size of the array over disks of memberBlocks
// blocks each (the smallest member's size): whole chunks on every disk,
// the data disks' share of them.
func (l Layout) LogicalBlocks(memberBlocks int64) int64 {
	per := memberBlocks - memberBlocks%l.ChunkBlocks
	return max(per, 0) * int64(l.DataDisks())
}

// Stripe is the stripe that holds logical block b.
func (l Layout) Stripe(b int64) int64 { return floorDiv(b, l.StripeBlocks()) }

// Locate is where logical block b lives: its disk and its block offset on
// that disk (for RAID 1, the first disk of its mirrored pair).
// LECTURE: raid-mapping
func (l Layout) Locate(b int64) (disk int, off int64) {
	chunk, coff := truncDiv(b, l.ChunkBlocks), floorMod(b, l.ChunkBlocks)
	n := int64(l.DataDisks())
	off = truncDiv(chunk, n)*l.ChunkBlocks + coff
	d := floorMod(chunk, n)
	switch l.Level {
	case Level1:
		return int(2 * d), off
	case Level5:
		return l.raid5Disk(chunk, d), off
	}
	return int(d), off
}

// Mirror is the second disk of RAID 1's pair for logical block b (the
// first is Locate's); -1 for the other levels.
func (l Layout) Mirror(b int64) int {
	if l.Level != Level1 {
		return -1
	}
	d, _ := l.Locate(b)
	return d + 1
}

// ReadDisk is the disk RAID 1 reads block b from: the book's balancing
// sends even offsets to the first disk of the pair and odd ones to the
// second. For the other levels it is Locate's disk.
func (l Layout) ReadDisk(b int64) int {
	d, off := l.Locate(b)
	if l.Level == Level1 && floorMod(off, 2) != 0 {
		return d + 1
	}
	return d
}

// ParityDisk is the disk holding the parity of a stripe; -1 for RAID 0
// and 1.
func (l Layout) ParityDisk(stripe int64) int {
	switch l.Level {
	case Level4:
		return l.Disks - 1
	case Level5:
		return l.Disks - 1 - int(floorMod(truncDiv(stripe*l.StripeBlocks()/l.ChunkBlocks, int64(l.Disks-1)), int64(l.Disks)))
	}
	return -1
}

// raid5Disk places data chunk number chunk, the d-th of its stripe, around
// the stripe's parity.
func (l Layout) raid5Disk(chunk, d int64) int {
	n := int64(l.Disks)
	col := floorMod(truncDiv(chunk, n-1), n)
	parity := n - 1 - col
	if l.LeftAsymmetric {
		if d >= parity {
			d++
		}
		return int(d)
	}
	return int(floorMod(d-col, n))
}

// truncDiv is the quotient rounded towards zero, and floorDiv and floorMod
// the quotient rounded down and its remainder, as Python's // and %: the
// book's simulator mixes both, and negative blocks show the difference.
func truncDiv(a, b int64) int64 { return a / b }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
