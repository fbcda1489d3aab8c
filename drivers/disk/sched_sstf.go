package disk

// sstf serves the request nearest the head (shortest seek time first),
// the earliest on a tie. Few seeks, but a request far from a busy region
// can starve.
type sstf struct{ queue }

func newSSTF() Scheduler { return &sstf{} }

func (s *sstf) Next(head int64) *Request {
	if len(s.queue) == 0 {
		return nil
	}
	best := 0
	for i, r := range s.queue {
		if dist(r.Block, head) < dist(s.queue[best].Block, head) {
			best = i
		}
	}
	return s.take(best)
}
