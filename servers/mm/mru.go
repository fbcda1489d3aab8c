package mm

// mru evicts the most recently used page: the right answer for a loop
// over more pages than fit, the wrong one almost everywhere else. Its
// order is lru's.
type mru struct{ o *order }

func newMRU(Params) Policy { return &mru{o: newOrder()} }

func (m *mru) Name() string          { return "mru" }
func (m *mru) Insert(p Page)         { m.o.pushBack(p) }
func (m *mru) Touch(p Page)          { touchBack(m.o, p) }
func (m *mru) Remove(p Page)         { m.o.remove(p) }
func (m *mru) Resident() []Page      { return m.o.pages() }
func (m *mru) wantsReferences() bool { return true }
func (m *mru) Victim() (Page, bool) {
	if m.o.len() == 0 {
		return Page{}, false
	}
	return m.o.popAt(m.o.len() - 1), true
}
