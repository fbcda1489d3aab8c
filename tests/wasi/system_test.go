package wasi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/user/wasi"
)

// The file server crashes while a wasm program copies a file a block at
// a time; rs restarts it, and the program's next calls are handled as a
// native program's (user/ulib reopens its descriptors): the copy is whole.
func TestFileServerCrashUnderAProgram(t *testing.T) {
	// 800 KB in 4 KiB blocks with a 1 ms sleep after each: the copy
	// takes over 200 ms, and the crash comes at 50 ms.
	script := "probe write /tmp/big 800000 >/dev/null; probe slowcopy /tmp/big /tmp/copy & sleep 0.05; crash fs; wait $!; echo $?; probe sum /tmp/copy"
	r := sh(t, boot.Micro, "", script)
	want := "crash: fs: crashed serving the request (ECONNRESET); rs restarts it\n0\n800000 " + sumOf(800000) + "\n"
	if r.out != want {
		t.Errorf("copy across a crash = %q (stderr %q), want %q", r.out, r.err, want)
	}
}

// A full disk: the file server answers ENOSPC, which WASI preview 1 in
// wazero has no name for; the program sees EIO, after writing what fit,
// and the file system is still usable.
func TestDiskFull(t *testing.T) {
	r := shWith(t, boot.Micro, "", "probe fill /tmp/fill; rm /tmp/fill; probe write /tmp/after 10", 12<<20)
	want := "EIO true\n10 " + sumOf(10) + "\n"
	if r.out != want {
		t.Errorf("fill = %q (stderr %q), want %q", r.out, r.err, want)
	}
}

// The same seed gives the same run: random bytes, virtual times and the
// end of the run; another seed gives other random bytes.
func TestDeterministic(t *testing.T) {
	script := "probe rand; probe sleep 3; probe spin 20; probe write /tmp/f 1000"
	a := shSeed(t, boot.Micro, "", script, 16<<20, 7)
	b := shSeed(t, boot.Micro, "", script, 16<<20, 7)
	c := shSeed(t, boot.Micro, "", script, 16<<20, 8)
	if a != b {
		t.Errorf("two runs with seed 7: %+v and %+v, want the same", a, b)
	}
	if strings.SplitN(a.out, "\n", 2)[0] == strings.SplitN(c.out, "\n", 2)[0] {
		t.Errorf("probe rand = %q with seeds 7 and 8, want different bytes", strings.SplitN(a.out, "\n", 2)[0])
	}
}

// CPU time: a program that computes is charged NsPerCall for each
// function call it makes. fib(n) makes 2·fib(n+1)−1 calls of fib, so
// spin 25 costs (2·121393−1 − (2·13−1)) more calls than spin 6, plus
// the few calls of printing a bigger number.
func TestComputeIsCharged(t *testing.T) {
	small := sh(t, boot.Micro, "", "probe spin 6")
	big := sh(t, boot.Micro, "", "probe spin 25")
	if small.out != "8\n" || big.out != "75025\n" {
		t.Fatalf("spin = %q and %q, want 8 and 75025", small.out, big.out)
	}
	calls := int64(2*121393-1) - int64(2*13-1)
	want := calls * wasi.NsPerCall
	got := big.endNs - small.endNs
	if got < want || got > want+want/20 {
		t.Errorf("spin 25 took %d ns of virtual time more than spin 6, want %d (+5%%)", got, want)
	}
}

// callTracer records the request types the file server receives from
// tasks named name (the receive event names the caller as its task).
type callTracer struct {
	name  string
	names map[ipc.Endpoint]string
	calls []ipc.Type
}

func (c *callTracer) Event(e *kernel.Event) {
	switch {
	case e.Kind == kernel.EvSpawn:
		c.names[e.Task] = e.Name
	case e.Kind == kernel.EvReceive && e.Svc == fsproto.Name && c.names[e.Task] == c.name:
		c.calls = append(c.calls, ipc.Type(e.Type))
	}
}

// Every file call a wasm program makes is a message to the file server,
// in the trace, from the program's own task.
func TestFileCallsAreMessages(t *testing.T) {
	tr := &callTracer{name: "probe", names: map[ipc.Endpoint]string{}}
	r := shTraced(t, boot.Micro, "", "", "probe mkdir /traced; probe rm /traced", 16<<20, 1, "", tr)
	if r.status != 0 {
		t.Fatalf("status = %d (stderr %q), want 0", r.status, r.err)
	}
	for _, w := range []ipc.Type{fsproto.Mkdir, fsproto.Rmdir} {
		if !slices.Contains(tr.calls, w) {
			t.Errorf("requests of probe to fs = %v, want %d among them", tr.calls, w)
		}
	}
}

// trapModule is a hand-made module whose _start executes unreachable.
var trapModule = []byte{0, 'a', 's', 'm', 1, 0, 0, 0,
	1, 4, 1, 0x60, 0, 0, // type section: () -> ()
	3, 2, 1, 0, // function section: function 0 has type 0
	7, 10, 1, 6, '_', 's', 't', 'a', 'r', 't', 0, 0, // export "_start" = function 0
	10, 5, 1, 3, 0, 0x00, 0x0b, // code: no locals, unreachable, end
}

// A trap ends the process as a native program's crash does (killed by
// SIGSEGV: status 139), with the trap on standard error; a Go program's
// own panic exits with status 2, as on Linux.
func TestCrashes(t *testing.T) {
	r := sh(t, boot.Micro, "", "/bin/trap; echo $?; probe trap 2>/dev/null; echo $?", file{"/bin/trap", trapModule, 0o755})
	if r.out != "139\n2\n" {
		t.Errorf("statuses = %q (stderr %q), want 139 and 2", r.out, r.err)
	}
	if !strings.Contains(r.err, "unreachable") {
		t.Errorf("stderr = %q, want the trap named", r.err)
	}
}

// A module's memory is bounded (wasi.MaxMemoryBytes, 256 MiB): a Go
// program that wants more dies of its runtime's out-of-memory error.
func TestMemoryLimit(t *testing.T) {
	r := sh(t, boot.Micro, "", "probe alloc 64; probe alloc 400 2>/dev/null; echo $?")
	if r.out != "ok\n2\n" {
		t.Errorf("alloc = %q (stderr %q), want ok then status 2", r.out, r.err)
	}
}

// Standard input, output and error are the console's: a program reads
// what is typed and writes both streams to the screen.
func TestConsole(t *testing.T) {
	r := shTraced(t, boot.Micro, "", "", "wc.wasm -l; probe sum /nope", 16<<20, 1, "typed\nat the\nconsole\n", nil)
	if r.out != "      3\n" || !strings.Contains(r.err, "probe sum: ENOENT") || r.status != 1 {
		t.Errorf("console = %q, stderr %q, status %d; want 3 lines counted, ENOENT on stderr, status 1", r.out, r.err, r.status)
	}
}
