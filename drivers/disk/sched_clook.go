package disk

// clook is the circular elevator (C-LOOK): the head sweeps towards higher
// blocks serving requests in block order, and when none is left ahead of
// it jumps back to the lowest one and sweeps again. Nearly as few seeks as
// sstf, and no request waits more than one sweep.
type clook struct{ queue }

func newCLOOK() Scheduler { return &clook{} }

// Next picks the lowest block at or after the head, else the lowest block
// of all; the earliest request on a tie.
func (c *clook) Next(head int64) *Request {
	ahead, lowest := -1, -1
	for i, r := range c.queue {
		if r.Block >= head && (ahead < 0 || r.Block < c.queue[ahead].Block) {
			ahead = i
		}
		if lowest < 0 || r.Block < c.queue[lowest].Block {
			lowest = i
		}
	}
	switch {
	case ahead >= 0:
		return c.take(ahead)
	case lowest >= 0:
		return c.take(lowest)
	}
	return nil
}
