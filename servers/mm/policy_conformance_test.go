package mm

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The conformance tests run over every entry of Policies: a page-replacement
// policy a student adds (one file here, one line in Policies) must pass
// them before `mkos vm -p NAME` and the pager use it. They check the
// contract of the Policy interface, not which victim is best.

// conformanceRefs is a reference string with reuse, over 12 pages in two
// spaces.
func conformanceRefs(n int) []Page {
	r := rand.New(rand.NewPCG(7, 11))
	var refs []Page
	for range n {
		refs = append(refs, Page{Space: uint64(1 + r.IntN(2)), VPN: uint64(r.IntN(6))})
	}
	return refs
}

// runConformance drives p through refs with frames frames, removing a
// page now and then as munmap would, and checks each step: Victim
// evicts a resident page and forgets it, Resident never holds a page twice
// nor more than the frames, Remove forgets.
func runConformance(t *testing.T, name string, frames int) []string {
	t.Helper()
	refs := conformanceRefs(400)
	var future []uint64
	for _, p := range refs {
		future = append(future, p.VPN)
	}
	p := mustPolicy(t, name, Params{Seed: 3, Future: future})
	if _, ok := p.Victim(); ok {
		t.Fatalf("%s: Victim() of an empty memory = true, want false", name)
	}
	var log []string
	resident := map[Page]bool{}
	for i, pg := range refs {
		if !resident[pg] {
			if len(resident) == frames {
				v, ok := p.Victim()
				if !ok || !resident[v] {
					t.Fatalf("%s ref %d: Victim() = %v, %v; want a resident page of %v", name, i, v, ok, resident)
				}
				delete(resident, v)
				log = append(log, fmt.Sprint(v))
			}
			p.Insert(pg)
			resident[pg] = true
		}
		p.Touch(pg)
		if i%37 == 36 {
			p.Remove(pg)
			delete(resident, pg)
		}
		got := p.Resident()
		if len(got) != len(resident) {
			t.Fatalf("%s ref %d: Resident() = %v, want the %d pages %v", name, i, got, len(resident), resident)
		}
		for j, q := range got {
			if !resident[q] || slices.Contains(got[:j], q) {
				t.Fatalf("%s ref %d: Resident() = %v holds %v wrongly (resident: %v)", name, i, got, q, resident)
			}
		}
	}
	return log
}

func TestPolicyConformance(t *testing.T) {
	for _, name := range PolicyNames() {
		for _, frames := range []int{1, 3, 8} {
			t.Run(fmt.Sprintf("%s/%d-frames", name, frames), func(t *testing.T) {
				first := runConformance(t, name, frames)
				if again := runConformance(t, name, frames); !slices.Equal(first, again) {
					t.Errorf("%s: victims differ between two runs with the same seed", name)
				}
			})
		}
	}
}
