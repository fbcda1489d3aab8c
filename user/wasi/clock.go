package wasi

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/user/ulib"
	"github.com/tetratelabs/wazero/sys"
)

// The clocks, sleeping and randomness of a wasm program: all virtual, all
// the kernel's, so a run is the same for the same seed.

// walltime is the realtime clock: the kernel's virtual time since boot,
// as seconds and nanoseconds since the Unix epoch (the file server stamps
// files with the same clock).
func walltime(s ipc.Sys) sys.Walltime {
	return func() (int64, int32) {
		ns := s.Now()
		return ns / 1e9, int32(ns % 1e9)
	}
}

// nanotime is the monotonic clock: the kernel's virtual time.
func nanotime(s ipc.Sys) sys.Nanotime {
	return func() int64 { return s.Now() }
}

// nanosleep sleeps in virtual time (poll_oneoff on a clock, sched's
// sleeps); the process's caught signals run meanwhile, as in a native
// program's Sleep.
func nanosleep(p *ulib.Proc) sys.Nanosleep {
	return func(ns int64) { _ = p.Sleep(ns) }
}

// randSource reads the kernel's seeded generator (random_get).
type randSource struct{ s ipc.Sys }

// Read fills b from Sys.Rand, eight bytes a call.
func (r randSource) Read(b []byte) (int, error) {
	var w [8]byte
	for i := 0; i < len(b); i += 8 {
		binary.LittleEndian.PutUint64(w[:], r.s.Rand())
		copy(b[i:], w[:])
	}
	return len(b), nil
}
