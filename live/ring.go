package live

// ring keeps the last n values added.
type ring[T any] struct {
	buf  []T
	next int
	full bool
}

func (r *ring[T]) init(n int) { r.buf = make([]T, n) }

// add appends v, dropping the oldest value when full, and returns where v
// is kept.
func (r *ring[T]) add(v T) *T {
	p := &r.buf[r.next]
	*p = v
	r.next++
	if r.next == len(r.buf) {
		r.next, r.full = 0, true
	}
	return p
}

// list returns the values, oldest first.
func (r *ring[T]) list() []T {
	if !r.full {
		return append([]T(nil), r.buf[:r.next]...)
	}
	return append(append([]T(nil), r.buf[r.next:]...), r.buf[:r.next]...)
}
