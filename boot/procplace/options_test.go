package procplace

import "testing"

// The Go runtime's own words for how a server process died, as the proxy
// reads them from its stderr.
func TestFirstFatal(t *testing.T) {
	for _, c := range []struct{ name, stderr, want string }{
		{"panic", "panic: boom\n\ngoroutine 1 [running]:\n", "panic: boom"},
		{"map write", "fatal error: concurrent map writes\n\ngoroutine 5\n", "fatal error: concurrent map writes"},
		{"stack", "runtime: goroutine stack exceeds 1048576-byte limit\nruntime: sp=0x1\nfatal error: stack overflow\n", "runtime: goroutine stack exceeds 1048576-byte limit"},
		{"nothing", "", ""},
		{"chatter", "mkos serve echo: hello\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := firstFatal(c.stderr); got != c.want {
				t.Errorf("firstFatal() = %q, want %q", got, c.want)
			}
		})
	}
}

func TestSeccompKill(t *testing.T) {
	const socket = "SIGSYS: bad system call\nPC=0x40b6ce m=12 sigcode=1\n\ngoroutine 1 [running]:\n" +
		"internal/runtime/syscall/linux.Syscall6()\n" +
		"syscall.RawSyscall6(0x419d015ae0?, 0x488785?, 0x30?)\n" +
		"syscall.RawSyscall(0x7ebe20?, 0x4100000001?, 0x419d015b60?, 0x4cc093?)\n" +
		"syscall.RawSyscall(0x29, 0x2, 0x1, 0x0)\n"
	for _, c := range []struct {
		name, stderr, want string
		ok                 bool
	}{
		{"socket, past the guessed frames", socket, "socket", true},
		{"openat", "SIGSYS: bad system call\nsyscall.Syscall6(0x101, 0xffffffffffffff9c, 0xc000012345, 0x80000, 0x0, 0x0, 0x0)\n", "openat", true},
		{"no frame", "SIGSYS: bad system call\n", "unknown system call", true},
		{"not seccomp", "panic: boom\n", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := seccompKill(c.stderr)
			if got != c.want || ok != c.ok {
				t.Errorf("seccompKill() = %q, %v, want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestWritten(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		want int
	}{
		{"empty", nil, 0},
		{"all zero", make([]byte, 4096), 0},
		{"first byte", append([]byte{1}, make([]byte, 100)...), 1},
		{"last byte", append(make([]byte, 100), 1), 101},
		{"middle", append(append(make([]byte, 9), 7), make([]byte, 20)...), 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := written(c.b); got != c.want {
				t.Errorf("written() = %d, want %d", got, c.want)
			}
		})
	}
}
