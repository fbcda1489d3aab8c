package netstack

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"sync"
)

// SecureRNG is the stack's source of "secure" randomness (stack.Options
// SecureRNG): initial sequence numbers, ephemeral ports, TCP timestamp
// offsets, IP identification seeds. It is a ChaCha8 stream keyed from the
// seed, so one seed gives one byte stream; the stack derives its insecure
// generator (RandSource) from it as well. It is safe for concurrent use.
type SecureRNG struct {
	mu  sync.Mutex
	gen *rand.ChaCha8
}

// NewSecureRNG returns the generator for seed.
func NewSecureRNG(seed uint64) *SecureRNG {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	key := sha256.Sum256(append([]byte("mkos netstack seed "), b[:]...))
	return &SecureRNG{gen: rand.NewChaCha8(key)}
}

// Read fills p with the next bytes of the stream; it never fails.
func (r *SecureRNG) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gen.Read(p)
}
