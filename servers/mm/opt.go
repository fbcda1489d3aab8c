package mm

// opt is Belady's optimal policy: evict the page whose next reference is
// furthest in the future. It needs the future, so it is an offline policy
// for the paging lab: Params.Future is the reference string, and the Nth
// Touch is reference N. Pages are matched by VPN only (the lab's single
// task). With no future every page ties, and a tie goes to the page
// furthest right in insertion order, as in paging-policy.py.
type opt struct {
	o      *order
	future []uint64
	pos    int // references made so far: the current one during a fault
}

func newOPT(p Params) Policy { return &opt{o: newOrder(), future: p.Future} }

func (o *opt) Name() string     { return "opt" }
func (o *opt) Insert(p Page)    { o.o.pushBack(p) }
func (o *opt) Touch(Page)       { o.pos++ }
func (o *opt) Remove(p Page)    { o.o.remove(p) }
func (o *opt) Resident() []Page { return o.o.pages() }
func (o *opt) Victim() (Page, bool) {
	if o.o.len() == 0 {
		return Page{}, false
	}
	best, bestAt := Page{}, -1
	for _, p := range o.o.pages() {
		if at := nextUse(o.future, o.pos, p.VPN); at >= bestAt {
			best, bestAt = p, at
		}
	}
	o.o.remove(best)
	return best, true
}

// nextUse returns the index of the first reference to vpn after position
// pos, or len(future) when there is none.
func nextUse(future []uint64, pos int, vpn uint64) int {
	for i := pos + 1; i < len(future); i++ {
		if future[i] == vpn {
			return i
		}
	}
	return len(future)
}
