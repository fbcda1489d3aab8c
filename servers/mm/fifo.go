package mm

// fifo evicts the page that has been resident longest; references do not
// matter. It shows Belady's anomaly: more frames can mean more faults.
type fifo struct{ o *order }

func newFIFO(Params) Policy { return &fifo{o: newOrder()} }

func (f *fifo) Name() string     { return "fifo" }
func (f *fifo) Insert(p Page)    { f.o.pushBack(p) }
func (f *fifo) Touch(Page)       {}
func (f *fifo) Remove(p Page)    { f.o.remove(p) }
func (f *fifo) Resident() []Page { return f.o.pages() }
func (f *fifo) Victim() (Page, bool) {
	if f.o.len() == 0 {
		return Page{}, false
	}
	return f.o.popAt(0), true
}
