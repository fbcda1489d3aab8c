package ostepvm

import "testing"

// TestKernelTranslate builds a small page table in a task through the
// kernel's pager and MMU and checks the kernel's walk of each address:
// frame × 4096 + offset for a valid page, a fault for an invalid one.
func TestKernelTranslate(t *testing.T) {
	pt := []int64{3, -1, 0, 15}
	tests := []struct {
		name  string
		va    uint64
		pa    uint64
		fault bool
	}{
		{"page 0, offset 0", 0, 3 * 4096, false},
		{"page 0, last byte", 4095, 3*4096 + 4095, false},
		{"invalid page 1", 4096 + 7, 0, true},
		{"page 2 in frame 0", 2*4096 + 100, 100, false},
		{"page 3 in the last frame", 3*4096 + 1, 15*4096 + 1, false},
	}
	var vas []uint64
	for _, tt := range tests {
		vas = append(vas, tt.va)
	}
	walks, err := kernelTranslate(pt, 16, vas)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := walks[i]; w.fault != tt.fault || (!tt.fault && w.pa != tt.pa) {
				t.Errorf("kernelTranslate(%#x) = %+v, want pa %#x fault %v", tt.va, w, tt.pa, tt.fault)
			}
		})
	}
}

// TestLinearWalksOnKernel: with 4 KiB pages, paging-linear-translate's
// answers are the kernel's walks, one per address.
func TestLinearWalksOnKernel(t *testing.T) {
	l := &linear{pt: []int64{1, -1}, pageBits: 12, asize: 8192}
	if err := l.walkOnKernel([]string{"5", "4100", "9000", "x", "6"}, 4); err != nil {
		t.Fatal(err)
	}
	if len(l.walks) != 2 || l.walks[0].pa != 4096+5 || !l.walks[1].fault {
		t.Errorf("walkOnKernel() = %+v, want address 0 at 0x1005, address 1 a fault, none past the table or after x", l.walks)
	}
	got, err := l.translate(0, 5, true)
	if want := "00001005 (decimal     4101) [VPN 0]"; err != nil || got != want {
		t.Errorf("translate(5) = %q, %v; want %q", got, err, want)
	}
	l.walks[0] = kernelWalk{pa: 0x2222}
	if got, _ := l.translate(0, 5, true); got != "00002222 (decimal     8738) [VPN 0]" {
		t.Errorf("translate(5) with the kernel's walk at 0x2222 = %q: the answer is not the kernel's", got)
	}
}
