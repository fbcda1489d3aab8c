package mm

import "github.com/mkos/mkos/internal/pyrand"

// random evicts a page chosen at random from the resident pages in
// insertion order: position int(random() × n), as paging-policy.py draws
// it. The generator is seeded, so a run is reproducible.
type random struct {
	o *order
	r *pyrand.Rand
}

func newRand(p Params) Policy { return &random{o: newOrder(), r: rng(p)} }

func (r *random) Name() string     { return "rand" }
func (r *random) Insert(p Page)    { r.o.pushBack(p) }
func (r *random) Touch(Page)       {}
func (r *random) Remove(p Page)    { r.o.remove(p) }
func (r *random) Resident() []Page { return r.o.pages() }
func (r *random) Victim() (Page, bool) {
	n := r.o.len()
	if n == 0 {
		return Page{}, false
	}
	return r.o.popAt(int(r.r.Random() * float64(n))), true
}
