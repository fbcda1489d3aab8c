package sched

// fifo runs each task until it blocks or yields, in arrival order. A woken
// task never preempts; ticks never preempt.
type fifo struct{ q queue }

func newFIFO(Params) Policy { return &fifo{} }

func (p *fifo) Name() string               { return "fifo" }
func (p *fifo) Add(e *Entity, _ Why)       { p.q.pushBack(e) }
func (p *fifo) Remove(e *Entity)           { p.q.remove(e) }
func (p *fifo) Pick() *Entity              { return p.q.popFront() }
func (p *fifo) Tick(*Entity) bool          { return false }
func (p *fifo) Preempts(_, _ *Entity) bool { return false }
func (p *fifo) Len() int                   { return p.q.n }
