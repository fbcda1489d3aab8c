package pyrand

import (
	"fmt"
	"math/bits"
)

// Random returns a float in [0, 1) with 53 random bits, as CPython's
// random.random(): two draws, a = 27 bits and b = 26 bits, combined as
// (a*2^26 + b) / 2^53.
func (r *Rand) Random() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

// Uniform returns a + (b-a)*Random(), as random.uniform(a, b).
func (r *Rand) Uniform(a, b float64) float64 {
	return a + (b-a)*r.Random()
}

// Getrandbits returns an integer with k random bits, as
// random.getrandbits(k) for 0 <= k <= 64. Like CPython it draws one 32-bit
// word per 32 bits, least significant word first, and drops the low bits of
// the last word when k is not a multiple of 32.
func (r *Rand) Getrandbits(k int) uint64 {
	if k < 0 || k > 64 {
		panic(fmt.Sprintf("pyrand: Getrandbits(%d): k must be in 0..64", k))
	}
	if k <= 32 {
		if k == 0 {
			return 0
		}
		return uint64(r.Uint32() >> (32 - k))
	}
	lo := uint64(r.Uint32())
	hi := uint64(r.Uint32() >> (64 - k))
	return hi<<32 | lo
}

// Randbelow returns an integer in [0, n), as CPython 3's
// _randbelow_with_getrandbits: draw n.bit_length() bits until the value is
// below n. It panics if n <= 0.
func (r *Rand) Randbelow(n int64) int64 {
	if n <= 0 {
		panic("pyrand: Randbelow: empty range for randbelow()")
	}
	k := bits.Len64(uint64(n))
	v := r.Getrandbits(k)
	for v >= uint64(n) {
		v = r.Getrandbits(k)
	}
	return int64(v)
}

// Randrange returns a random element of range(start, stop, step), as
// random.randrange(start, stop, step). It panics, as Python raises
// ValueError, when step is 0 or the range is empty.
func (r *Rand) Randrange(start, stop, step int64) int64 {
	width := stop - start
	if step == 1 {
		if width > 0 {
			return start + r.Randbelow(width)
		}
		panic(fmt.Sprintf("pyrand: empty range for randrange() (%d, %d, %d)", start, stop, width))
	}
	var n int64
	switch {
	case step > 0:
		n = floorDiv(width+step-1, step)
	case step < 0:
		n = floorDiv(width+step+1, step)
	default:
		panic("pyrand: zero step for randrange()")
	}
	if n <= 0 {
		panic("pyrand: empty range for randrange()")
	}
	return start + step*r.Randbelow(n)
}

// Randint returns an integer in [a, b], both ends included, as
// random.randint(a, b), which is randrange(a, b+1).
func (r *Rand) Randint(a, b int64) int64 {
	return r.Randrange(a, b+1, 1)
}

// Choice returns the index of the element random.choice(seq) picks from a
// sequence of length n: Randbelow(n). It panics, as Python raises
// IndexError, when n is 0.
func (r *Rand) Choice(n int) int {
	if n <= 0 {
		panic("pyrand: Cannot choose from an empty sequence")
	}
	return int(r.Randbelow(int64(n)))
}

// Shuffle permutes n elements as random.shuffle does, calling swap(i, j)
// for each exchange: for i from n-1 down to 1, j = Randbelow(i+1).
func (r *Rand) Shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		swap(i, int(r.Randbelow(int64(i+1))))
	}
}

// floorDiv is Python's a // b.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
