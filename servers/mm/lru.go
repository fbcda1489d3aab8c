package mm

// lru evicts the least recently used page. The order runs from the least
// recently used (front) to the most (back); a reference moves a page to
// the back. Its recency is exact when every reference is reported (the
// lab), and known to one eviction's resolution when references come from
// sampled accessed bits: pages used since the last eviction move to the
// back together, in their old order.
type lru struct{ o *order }

func newLRU(Params) Policy { return &lru{o: newOrder()} }

func (l *lru) Name() string          { return "lru" }
func (l *lru) Insert(p Page)         { l.o.pushBack(p) }
func (l *lru) Touch(p Page)          { touchBack(l.o, p) }
func (l *lru) Remove(p Page)         { l.o.remove(p) }
func (l *lru) Resident() []Page      { return l.o.pages() }
func (l *lru) wantsReferences() bool { return true }
func (l *lru) Victim() (Page, bool) {
	if l.o.len() == 0 {
		return Page{}, false
	}
	return l.o.popAt(0), true
}

// touchBack moves a resident page to the back of o.
func touchBack(o *order, p Page) {
	if o.has(p) {
		o.pushBack(p)
	}
}
