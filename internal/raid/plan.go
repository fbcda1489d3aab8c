package raid

// IO is one physical read or write of a block on one disk.
type IO struct {
	Disk  int
	Off   int64
	Write bool
	// Block is the logical block the I/O reads or writes, or -1 for a
	// stripe's parity.
	Block int64
	// Phase numbers the I/Os that may be issued together: every I/O of a
	// phase may start once the phase before it has completed (a small
	// write reads the old data and parity before it writes the new).
	Phase int
}

// Plan is the physical I/Os of a logical read or write of count blocks
// from block b, in the order the book's simulator issues them. A RAID 4/5
// write of part of a stripe reads what the new parity needs first: the
// old data and parity (subtractive) when that is fewer reads than the
// rest of the stripe, else the rest of the stripe (additive).
// Preconditions: l.Check() is nil.
func (l Layout) Plan(b, count int64, write bool) []IO {
	p := &planner{l: l}
	switch {
	case l.Level == Level0 || l.Level == Level1:
		for x := b; x < b+count; x++ {
			p.mirrorOrStripe(x, write)
		}
	case !write:
		for x := b; x < b+count; x++ {
			d, off := l.Locate(x)
			p.add(d, off, false, x)
		}
	default:
		p.parityWrites(b, count)
	}
	return p.ios
}

// planner collects a plan's I/Os, phase by phase.
type planner struct {
	l     Layout
	ios   []IO
	phase int
}

func (p *planner) add(disk int, off int64, write bool, block int64) {
	p.ios = append(p.ios, IO{Disk: disk, Off: off, Write: write, Block: block, Phase: p.phase})
}

// next ends the current phase if it has any I/O.
func (p *planner) next() {
	if len(p.ios) > 0 && p.ios[len(p.ios)-1].Phase == p.phase {
		p.phase++
	}
}

// mirrorOrStripe is one block of RAID 0 or 1: one I/O, or a write to both
// disks of a mirrored pair.
func (p *planner) mirrorOrStripe(b int64, write bool) {
	d, off := p.l.Locate(b)
	switch {
	case p.l.Level == Level1 && write:
		p.add(d, off, true, b)
		p.add(d+1, off, true, b)
	default:
		p.add(p.l.ReadDisk(b), off, write, b)
	}
	p.next()
}

// parityWrites is a RAID 4/5 write, stripe by stripe.
func (p *planner) parityWrites(b, count int64) {
	sb := p.l.StripeBlocks()
	left, begin := count, b
	for stripe := truncDiv(b, sb); stripe <= truncDiv(b+count-1, sb); stripe++ {
		endOfStripe := stripe*sb + sb
		end := begin + min(left, sb)
		end = min(end, endOfStripe)
		p.stripeWrite(stripe, begin, end)
		left -= end - begin
		begin = end
	}
}

// stripeWrite writes blocks [begin, end) of one stripe and its parity.
func (p *planner) stripeWrite(stripe, begin, end int64) {
	l := p.l
	pdisk := l.ParityDisk(stripe)
	n := end - begin
	if n+1 <= l.StripeBlocks()-n { // subtractive: old data and old parity
		offs := p.blocks(begin, end, false)
		for _, off := range offs {
			p.add(pdisk, off, false, -1)
		}
	} else { // additive: the rest of the stripe
		sBegin := stripe * l.StripeBlocks()
		p.blocks(sBegin, begin, false)
		p.blocks(end, sBegin+l.StripeBlocks(), false)
	}
	p.next()
	for _, off := range p.blocks(begin, end, true) {
		p.add(pdisk, off, true, -1)
	}
	p.next()
}

// blocks reads or writes logical blocks [from, to) and returns the
// distinct offsets they had, in order.
func (p *planner) blocks(from, to int64, write bool) []int64 {
	var offs []int64
	seen := map[int64]bool{}
	for x := from; x < to; x++ {
		d, off := p.l.Locate(x)
		p.add(d, off, write, x)
		if !seen[off] {
			seen[off] = true
			offs = append(offs, off)
		}
	}
	return offs
}
