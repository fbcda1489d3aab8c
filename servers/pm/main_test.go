package pm_test

// The process manager's tests. Each boots a kernel with pm in its own task
// ("user") or in the kernel ("kernel"), runs a test body as init (pid 1)
// with the system-call library, runs the kernel to its end, and asserts on
// what the body recorded. Bodies use assert, never require: a body runs on
// its own coroutine.

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/programs"
	"github.com/mkos/mkos/user/ulib"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// placements are where pm runs in every test.
var placements = []string{"user", "kernel"}

// ms is a millisecond of virtual time.
const ms = int64(1_000_000)

// system is one booted kernel with pm and the test programs.
type system struct {
	k      *kernel.Kernel
	out    *syncBuffer
	pmTask ipc.Endpoint // pm's task when it runs in user space
}

// boot returns a kernel with pm placed as placement; opts.Programs
// defaults to testPrograms.
func boot(t *testing.T, placement string, opts pm.Options) *system {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: 1, MaxTimeNs: 60_000 * ms})
	require.NoError(t, err)
	s := &system{k: k, out: &syncBuffer{}}
	if opts.Programs == nil {
		opts.Programs = testPrograms(s.out)
	}
	srv := pm.New(opts)
	if placement == "kernel" {
		_, err = k.Place(pmproto.Name, srv)
		require.NoError(t, err)
		return s
	}
	_, err = k.Declare(pmproto.Name)
	require.NoError(t, err)
	s.pmTask, err = k.Spawn(ipc.TaskSpec{Name: "pm", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, pmproto.Name, srv) }})
	require.NoError(t, err)
	return s
}

// init runs body as init, adopted by pm as pid 1, and runs the kernel to
// its end.
func (s *system) init(t *testing.T, body func(p *ulib.Proc)) {
	t.Helper()
	_, err := s.k.Spawn(pm.Adopt("init", func(sys ipc.Sys, _, _ []string) int {
		body(ulib.New(sys))
		return 0
	}, nil, nil))
	require.NoError(t, err)
	require.NoError(t, s.k.Run())
}

// runInit boots with the test programs and runs body as init.
func runInit(t *testing.T, placement string, body func(p *ulib.Proc)) *system {
	t.Helper()
	s := boot(t, placement, pm.Options{})
	s.init(t, body)
	return s
}

// forPlacements runs f as a subtest for each placement of pm.
func forPlacements(t *testing.T, f func(t *testing.T, placement string)) {
	for _, pl := range placements {
		t.Run(pl, func(t *testing.T) { f(t, pl) })
	}
}

// testPrograms is the example programs plus the ones the tests need.
func testPrograms(out *syncBuffer) map[string]pmproto.Program {
	reg := programs.Registry(out)
	for path, prog := range map[string]pmproto.Program{
		"/bin/exit":     exitWith,
		"/bin/spin":     spin,
		"/bin/panic":    func(ipc.Sys, []string, []string) int { panic("boom") },
		"/bin/catch":    catchINT,
		"/bin/orphaner": orphaner,
		"/bin/selfterm": selfTerm,
		"/bin/fds":      sumFds,
		"/bin/ulibexit": func(sys ipc.Sys, _, _ []string) int { ulib.New(sys).Exit(7); return 0 },
		"/bin/usr1":     usr1Parent,
		"/bin/env": func(_ ipc.Sys, argv, env []string) int {
			fmt.Fprintln(out, argv, strings.Join(env, " "))
			return 0
		},
	} {
		reg[path] = prog
	}
	return reg
}

// exitWith exits with the number in argv[1].
func exitWith(_ ipc.Sys, argv, _ []string) int {
	n, _ := strconv.Atoi(argv[1])
	return n
}

// spin sleeps until it is killed.
func spin(sys ipc.Sys, _, _ []string) int {
	for sys.Sleep(ms) == nil {
	}
	return 0
}

// catchINT counts SIGINTs with a handler the library runs, and exits with
// 40 plus the count once it has seen one.
func catchINT(sys ipc.Sys, _, _ []string) int {
	p := ulib.New(sys)
	caught := 0
	if p.Signal(linux.SIGINT, func(*ulib.Proc, linux.Signal) { caught++ }) != nil {
		return 1
	}
	for caught == 0 {
		if p.Sleep(ms) != nil {
			return 2
		}
	}
	return 40 + caught
}

// orphaner spawns a child that sleeps 5 ms and exits at once.
func orphaner(sys ipc.Sys, _, _ []string) int {
	if _, err := ulib.New(sys).Spawn("/bin/sleep", []string{"sleep", "5ms"}, nil, nil); err != nil {
		return 1
	}
	return 0
}

// selfTerm sends itself SIGTERM; it exits 0 only if it survives.
func selfTerm(sys ipc.Sys, _, _ []string) int {
	p := ulib.New(sys)
	pid, _ := p.Getpid()
	_ = p.Kill(pid, linux.SIGTERM)
	return 0
}

// sumFds exits with the sum of the descriptors it inherited.
func sumFds(sys ipc.Sys, _, _ []string) int {
	fds, err := ulib.New(sys).Fds()
	if err != nil {
		return 255
	}
	sum := 0
	for _, fd := range fds {
		sum += fd
	}
	return sum
}

// usr1Parent sends its parent SIGUSR1 and exits.
func usr1Parent(sys ipc.Sys, _, _ []string) int {
	p := ulib.New(sys)
	ppid, _ := p.Getppid()
	if p.Kill(ppid, linux.SIGUSR1) != nil {
		return 1
	}
	return 0
}

// syncBuffer is the programs' output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
