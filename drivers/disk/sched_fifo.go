package disk

// fifo serves requests in arrival order (first come, first served): fair,
// and blind to where the head is, so interleaved streams make it seek on
// every request.
type fifo struct{ queue }

func newFIFO() Scheduler { return &fifo{} }

func (f *fifo) Next(int64) *Request {
	if len(f.queue) == 0 {
		return nil
	}
	return f.take(0)
}
