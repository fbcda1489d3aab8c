// Package pyrand is a Go port of the parts of CPython 3's random module that
// the OSTEP homework simulators (scheduler.py, mlfq.py, lottery.py,
// paging-policy.py) rely on, so that mkos can reproduce their workloads bit
// for bit from the same seed.
//
// It owns:
//   - the MT19937 generator, seeded exactly as CPython's random.seed(n) for
//     an int n (init_by_array over the 32-bit words of |n|, least
//     significant first);
//   - Random, the 53-bit float of CPython's random_random;
//   - Getrandbits, and the integer helpers built on it the way CPython 3
//     builds them: Randbelow (_randbelow_with_getrandbits), Randrange,
//     Randint, Choice (an index) and Shuffle;
//   - Uniform.
//
// Python 2's seeding (random.seed(x, version=1) for strings) and the
// float-based integer helpers of Python 2 are not ported: for an int seed,
// version=1 and version=2 seed identically in Python 3.
//
// Where Python raises ValueError or IndexError (an empty range, an empty
// sequence), these functions panic with Python's message, as math/rand's
// Intn panics on n <= 0.
//
// Imports: the standard library only.
package pyrand
