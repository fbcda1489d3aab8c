package pipe

// ring is a pipe's bounded buffer, allocated on the first write.
type ring struct {
	b       []byte
	size    int
	head, n int // the oldest byte, and how many are buffered
}

func newRing(size int) ring { return ring{size: size} }

func (r *ring) free() int { return r.size - r.n }

// freeSpans returns the first k free bytes, after the buffered ones, as
// one or two slices.
func (r *ring) freeSpans(k int) [][]byte {
	if r.b == nil {
		r.b = make([]byte, r.size)
	}
	return r.spans((r.head+r.n)%r.size, k)
}

// dataSpans returns the first k buffered bytes as one or two slices.
func (r *ring) dataSpans(k int) [][]byte { return r.spans(r.head, k) }

func (r *ring) spans(from, k int) [][]byte {
	if k == 0 {
		return nil
	}
	first := min(k, r.size-from)
	out := [][]byte{r.b[from : from+first]}
	if k > first {
		out = append(out, r.b[:k-first])
	}
	return out
}

// produce counts k bytes written into the free space.
func (r *ring) produce(k int) { r.n += k }

// consume drops the k oldest bytes.
func (r *ring) consume(k int) {
	r.head = (r.head + k) % r.size
	r.n -= k
}
