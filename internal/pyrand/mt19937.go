package pyrand

// MT19937 constants, as in CPython's Modules/_randommodule.c (from Makoto
// Matsumoto and Takuji Nishimura's reference mt19937ar.c).
const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// Rand is one MT19937 generator with CPython's random.Random methods. The
// zero Rand is not seeded; make one with New. A Rand is not safe for
// concurrent use.
type Rand struct {
	mt  [mtN]uint32
	mti int
}

// New returns a generator seeded as CPython's random.seed(seed).
func New(seed int64) *Rand {
	r := &Rand{}
	r.Seed(seed)
	return r
}

// Seed reseeds r as CPython's random.seed(seed) does for an int: the key is
// |seed| split into 32-bit words, least significant first, and at least one
// word (so 0 and -0 give the key [0]).
func (r *Rand) Seed(seed int64) {
	u := uint64(seed)
	if seed < 0 {
		u = -u // two's complement: also right for math.MinInt64
	}
	var key [2]uint32
	key[0], key[1] = uint32(u), uint32(u>>32)
	n := 1
	if key[1] != 0 {
		n = 2
	}
	r.SeedWords(key[:n])
}

// SeedWords reseeds r with init_by_array(key), the primitive CPython uses for
// any int seed: key holds |seed|'s 32-bit words, least significant first.
// Use it for seeds wider than 64 bits.
func (r *Rand) SeedWords(key []uint32) {
	if len(key) == 0 {
		key = []uint32{0}
	}
	r.initGenrand(19650218)
	i, j := 1, 0
	for k := max(mtN, len(key)); k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= mtN {
			r.mt[0] = r.mt[mtN-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k := mtN - 1; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= mtN {
			r.mt[0] = r.mt[mtN-1]
			i = 1
		}
	}
	r.mt[0] = 0x80000000 // MSB is 1, assuring a non-zero initial array
}

// initGenrand fills the state from one 32-bit seed (init_genrand).
func (r *Rand) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < mtN; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.mti = mtN
}

// Uint32 returns the next 32 bits of the stream (genrand_uint32).
func (r *Rand) Uint32() uint32 {
	if r.mti >= mtN {
		r.twist()
	}
	y := r.mt[r.mti]
	r.mti++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// twist generates the next mtN words of state at once.
func (r *Rand) twist() {
	mag01 := [2]uint32{0, mtMatrixA}
	var kk int
	for kk = 0; kk < mtN-mtM; kk++ {
		y := (r.mt[kk] & mtUpperMask) | (r.mt[kk+1] & mtLowerMask)
		r.mt[kk] = r.mt[kk+mtM] ^ (y >> 1) ^ mag01[y&1]
	}
	for ; kk < mtN-1; kk++ {
		y := (r.mt[kk] & mtUpperMask) | (r.mt[kk+1] & mtLowerMask)
		r.mt[kk] = r.mt[kk+(mtM-mtN)] ^ (y >> 1) ^ mag01[y&1]
	}
	y := (r.mt[mtN-1] & mtUpperMask) | (r.mt[0] & mtLowerMask)
	r.mt[mtN-1] = r.mt[mtM-1] ^ (y >> 1) ^ mag01[y&1]
	r.mti = 0
}
