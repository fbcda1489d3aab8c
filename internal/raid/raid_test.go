package raid

import (
	"errors"
	"fmt"
	"testing"
)

// TestLocate checks the layouts against the book's figures (OSTEP 38.1,
// 38.3, 38.4, 38.5 and 38.7).
func TestLocate(t *testing.T) {
	tests := []struct {
		name   string
		lay    Layout
		blocks []int64
		want   string // "disk/off" per block
	}{
		{"raid0 4 disks (fig 38.1)", Layout{Level0, 4, 1, false}, []int64{0, 1, 3, 4, 14, 15}, "0/0 1/0 3/0 0/1 2/3 3/3"},
		{"raid0 chunk 2 (fig 38.3)", Layout{Level0, 4, 2, false}, []int64{0, 1, 2, 7, 8, 9, 15}, "0/0 0/1 1/0 3/1 0/2 0/3 3/3"},
		{"raid1 4 disks (fig 38.4)", Layout{Level1, 4, 1, false}, []int64{0, 1, 2, 3, 7}, "0/0 2/0 0/1 2/1 2/3"},
		{"raid4 5 disks (fig 38.5)", Layout{Level4, 5, 1, false}, []int64{0, 3, 4, 7, 19}, "0/0 3/0 0/1 3/1 3/4"},
		{"raid5 left-symmetric (fig 38.7)", Layout{Level5, 5, 1, false}, []int64{0, 3, 4, 5, 8, 10, 12, 16}, "0/0 3/0 4/1 0/1 3/2 0/2 2/3 1/4"},
		{"raid5 left-asymmetric", Layout{Level5, 5, 1, true}, []int64{0, 3, 4, 5, 7, 8, 16}, "0/0 3/0 0/1 1/1 4/1 0/2 1/4"},
		{"raid5 chunk 2", Layout{Level5, 4, 2, false}, []int64{0, 1, 2, 5, 6, 7}, "0/0 0/1 1/0 2/1 3/2 3/3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for i, b := range tt.blocks {
				d, off := tt.lay.Locate(b)
				if i > 0 {
					got += " "
				}
				got += fmt.Sprintf("%d/%d", d, off)
			}
			if got != tt.want {
				t.Errorf("Locate(%v) = %s, want %s", tt.blocks, got, tt.want)
			}
		})
	}
}

// TestParityDisk checks that RAID 4 keeps parity on its last disk and RAID
// 5 rotates it from the last disk down, never onto a disk holding the
// stripe's data.
func TestParityDisk(t *testing.T) {
	tests := []struct {
		name string
		lay  Layout
		want []int
	}{
		{"raid4", Layout{Level4, 5, 1, false}, []int{4, 4, 4, 4, 4, 4}},
		{"raid5 LS", Layout{Level5, 5, 1, false}, []int{4, 3, 2, 1, 0, 4}},
		{"raid5 LA chunk 3", Layout{Level5, 4, 3, true}, []int{3, 2, 1, 0, 3, 2}},
		{"raid0 has none", Layout{Level0, 4, 1, false}, []int{-1, -1, -1, -1, -1, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for s, want := range tt.want {
				if got := tt.lay.ParityDisk(int64(s)); got != want {
					t.Errorf("ParityDisk(%d) = %d, want %d", s, got, want)
				}
				for b := int64(s) * tt.lay.StripeBlocks(); b < int64(s+1)*tt.lay.StripeBlocks() && want >= 0; b++ {
					if d, _ := tt.lay.Locate(b); d == want {
						t.Errorf("Locate(%d) = disk %d, the parity disk of stripe %d", b, d, s)
					}
				}
			}
		})
	}
}

// TestPlan checks the physical I/Os of reads and writes: mirrored writes,
// RAID 1's balanced reads, and RAID 4's small (subtractive), large
// (additive) and full-stripe writes.
func TestPlan(t *testing.T) {
	r4 := Layout{Level4, 4, 1, false}
	tests := []struct {
		name     string
		lay      Layout
		b, count int64
		write    bool
		want     string
	}{
		{"raid0 read of 2", Layout{Level0, 4, 1, false}, 3, 2, false, "0:r3/0 1:r0/1"},
		{"raid1 write mirrors", Layout{Level1, 4, 1, false}, 2, 1, true, "0:w0/1 0:w1/1"},
		{"raid1 read odd offset from the mirror", Layout{Level1, 4, 1, false}, 3, 1, false, "0:r3/1"},
		{"raid4 read", r4, 4, 2, false, "0:r1/1 0:r2/1"},
		{"raid4 small write is subtractive", r4, 4, 1, true, "0:r1/1 0:r3/1 1:w1/1 1:w3/1"},
		{"raid4 two blocks of three are additive", r4, 3, 2, true, "0:r2/1 1:w0/1 1:w1/1 1:w3/1"},
		{"raid4 full stripe reads nothing", r4, 3, 3, true, "0:w0/1 0:w1/1 0:w2/1 0:w3/1"},
		{"raid4 write over two stripes", r4, 2, 2, true, "0:r2/0 0:r3/0 1:w2/0 1:w3/0 2:r0/1 2:r3/1 3:w0/1 3:w3/1"},
		{"empty write", r4, 3, 0, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			for i, x := range tt.lay.Plan(tt.b, tt.count, tt.write) {
				if i > 0 {
					got += " "
				}
				rw := "r"
				if x.Write {
					rw = "w"
				}
				got += fmt.Sprintf("%d:%s%d/%d", x.Phase, rw, x.Disk, x.Off)
			}
			if got != tt.want {
				t.Errorf("Plan(%d, %d, %v) = %q, want %q", tt.b, tt.count, tt.write, got, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		lay  Layout
		ok   bool
	}{
		{"raid0 one disk", Layout{Level0, 1, 1, false}, true},
		{"raid5 three disks", Layout{Level5, 3, 4, false}, true},
		{"level 2", Layout{2, 4, 1, false}, false},
		{"no chunk", Layout{Level0, 4, 0, false}, false},
		{"no disks", Layout{Level0, 0, 1, false}, false},
		{"raid4 one disk", Layout{Level4, 1, 1, false}, false},
		{"raid1 odd disks", Layout{Level1, 3, 1, false}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.lay.Check()
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrLayout)) {
				t.Errorf("Check() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestLogicalBlocks(t *testing.T) {
	tests := []struct {
		name    string
		lay     Layout
		members int64
		want    int64
	}{
		{"raid0 of 4", Layout{Level0, 4, 1, false}, 100, 400},
		{"raid1 of 4", Layout{Level1, 4, 1, false}, 100, 200},
		{"raid5 of 5, chunks of 3", Layout{Level5, 5, 3, false}, 100, 4 * 99},
		{"smaller than a chunk", Layout{Level4, 3, 8, false}, 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.lay.LogicalBlocks(tt.members); got != tt.want {
				t.Errorf("LogicalBlocks(%d) = %d, want %d", tt.members, got, tt.want)
			}
		})
	}
}
