package mem

import (
	"encoding/binary"
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// LoadByte reads the byte at va.
func LoadByte(sys ipc.Sys, va uint64) (byte, error) {
	var b [1]byte
	err := sys.Load(va, b[:])
	return b[0], err
}

// StoreByte writes b at va.
func StoreByte(sys ipc.Sys, va uint64, b byte) error {
	return sys.Store(va, []byte{b})
}

// LoadWord reads the little-endian uint64 at va.
func LoadWord(sys ipc.Sys, va uint64) (uint64, error) {
	var b [8]byte
	err := sys.Load(va, b[:])
	return binary.LittleEndian.Uint64(b[:]), err
}

// StoreWord writes v at va as a little-endian uint64.
func StoreWord(sys ipc.Sys, va uint64, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return sys.Store(va, b[:])
}

// LoadBytes reads n bytes at va.
func LoadBytes(sys ipc.Sys, va uint64, n int) ([]byte, error) {
	b := make([]byte, n)
	err := sys.Load(va, b)
	return b, err
}

// ErrNoNUL: LoadString found no NUL within its limit.
var ErrNoNUL = errors.New("mem: string not terminated within the limit")

// LoadString reads the NUL-terminated string at va, at most limit bytes
// before the NUL. It reads a page at a time and never past the page that
// holds the NUL, so a string that ends just before an unmapped page is
// read without a fault.
func LoadString(sys ipc.Sys, va uint64, limit int) (string, error) {
	var out []byte
	for len(out) <= limit {
		n := min(ipc.PageSize-int(va%ipc.PageSize), limit+1-len(out))
		chunk := make([]byte, n)
		if err := sys.Load(va, chunk); err != nil {
			return "", err
		}
		for i, c := range chunk {
			if c == 0 {
				return string(append(out, chunk[:i]...)), nil
			}
		}
		out = append(out, chunk...)
		va += uint64(n)
	}
	return "", ErrNoNUL
}

// StoreString writes s and a terminating NUL at va.
func StoreString(sys ipc.Sys, va uint64, s string) error {
	return sys.Store(va, append([]byte(s), 0))
}

// Heap hands out memory from the task's heap, growing it with brk: a
// bump allocator (nothing is freed), enough for programs and workloads.
type Heap struct {
	MM   mmproto.Client
	next uint64 // the first free byte; 0 before the first Alloc
	end  uint64 // the break
}

// Alloc returns the address of n fresh bytes aligned to 8.
func (h *Heap) Alloc(n uint64) (uint64, error) {
	if h.next == 0 {
		end, err := h.MM.Brk(0)
		if err != nil {
			return 0, err
		}
		h.next, h.end = end, end
	}
	va := (h.next + 7) &^ 7
	if va+n > h.end {
		end, err := h.MM.Brk(va + n)
		if err != nil {
			return 0, err
		}
		h.end = end
	}
	h.next = va + n
	return va, nil
}
