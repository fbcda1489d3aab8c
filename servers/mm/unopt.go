package mm

// unopt is opt turned around: evict the page that will be used soonest,
// the worst possible choice (paging-policy.py's UNOPT), to bound the lab's
// results from below. A tie goes to the leftmost page.
type unopt struct{ opt }

func newUnopt(p Params) Policy { return &unopt{opt{o: newOrder(), future: p.Future}} }

func (u *unopt) Name() string { return "unopt" }
func (u *unopt) Victim() (Page, bool) {
	if u.o.len() == 0 {
		return Page{}, false
	}
	best, bestAt := Page{}, len(u.future)+1
	for _, p := range u.o.pages() {
		if at := nextUse(u.future, u.pos, p.VPN); at < bestAt {
			best, bestAt = p, at
		}
	}
	u.o.remove(best)
	return best, true
}
