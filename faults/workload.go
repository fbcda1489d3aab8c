package faults

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"sort"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/ulib"
)

// Workload is a campaign's workload: the servers it needs, a setup made
// before any fault, and a job run again and again until the injector has
// struck its faults. A job checks its own output: it returns nil only
// when everything it read back was what it wrote.
type Workload struct {
	Name  string
	Doc   string
	Needs []string
	Setup func(w *worker) error
	Job   func(w *worker, j int) error
}

// Workloads are the campaign workloads by name.
var Workloads = map[string]*Workload{
	"mixed":  mixedWorkload,
	"fileio": fileioWorkload,
	"spawn":  spawnWorkload,
	"tcp":    tcpWorkload,
}

// WorkloadNames returns the workload names, sorted.
func WorkloadNames() []string {
	var names []string
	for n := range Workloads {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// calls returns the services the workload's jobs reach: its servers, and
// the disk behind the file server.
func (w *Workload) calls() map[string]bool {
	m := map[string]bool{}
	for _, n := range w.Needs {
		m[n] = true
	}
	if m[fsproto.Name] {
		m[diskproto.Name] = true
	}
	return m
}

// stepError is a job's step that failed: the service it called, what it
// did, and the error (an errno, or a wrongOutput).
type stepError struct {
	svc, op string
	err     error
}

func (e *stepError) Error() string { return e.svc + " " + e.op + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// step wraps a step's error with its service, nil staying nil.
func step(svc, op string, err error) error {
	if err == nil {
		return nil
	}
	return &stepError{svc, op, err}
}

// wrongOutput is a result that differs from what a correct system gives.
type wrongOutput struct{ what string }

func (e wrongOutput) Error() string { return "wrong output: " + e.what }

func wrong(svc, op, format string, a ...any) error {
	return &stepError{svc, op, wrongOutput{fmt.Sprintf(format, a...)}}
}

// crashed is a job that panicked: a reply it trusted made it fail.
type crashed struct{ why string }

func (e crashed) Error() string { return "program crashed: " + e.why }

// job is the outcome of one job.
type job struct {
	n   int
	at  int64 // virtual time it ended
	err error
}

// worker is the workload task: its stubs, its data, and what it has done.
type worker struct {
	wl  *Workload
	sys ipc.Sys
	fs  fsproto.Client
	pm  pmproto.Client
	mm  mmproto.Client
	ds  *dsproto.Client
	// proc is the socket calls' system-call library (the tcp workload).
	proc *ulib.Proc

	data, buf []byte
	sizes     []int

	// durable are the files whose fsync succeeded, with the bytes read
	// back right after: each must be on the disk after the run.
	durable map[string][]byte

	jobs   []job
	lastOK int64 // virtual time the last correct job ended (or setup)
	ready  bool  // set up: faults may begin
	stop   bool  // the injector is done: end once a job is correct
	// recovered: a job was correct after the injector was done; stoppedNs
	// is when the worker saw it was.
	recovered bool
	stoppedNs int64
	finished  bool
	setupErr  error
}

func newWorker(wl *Workload) *worker {
	w := &worker{wl: wl, durable: map[string][]byte{}, data: make([]byte, 64<<10), buf: make([]byte, 64<<10)}
	for i := range w.data {
		w.data[i] = byte(i*31 + 7)
	}
	return w
}

// body is the workload task.
func (w *worker) body(sys ipc.Sys) {
	w.sys = sys
	defer func() { w.finished = true }()
	if err := w.dial(); err != nil {
		w.setupErr = err
		return
	}
	if w.wl.Setup != nil {
		if err := w.wl.Setup(w); err != nil {
			w.setupErr = err
			return
		}
	}
	w.ready, w.lastOK = true, sys.Now()
	for j := 0; w.more(); j++ {
		r := w.run(j)
		w.jobs = append(w.jobs, r)
		if r.err == nil {
			w.lastOK = r.at
			w.recovered = w.stop
		} else if sys.Sleep(retryNs) != nil {
			return
		}
	}
}

// more reports whether to run another job: always until the injector is
// done, then until one job is correct — the system is back — or none
// has been for stallNs.
func (w *worker) more() bool {
	if !w.stop {
		return true
	}
	if w.stoppedNs == 0 {
		w.stoppedNs = w.sys.Now()
	}
	return !w.recovered && w.sys.Now()-max(w.lastOK, w.stoppedNs) <= stallNs
}

// retryNs is the pause after a failed job before the next, as a program
// that retries would make: it also bounds how fast a workload that fails
// at once spins.
const retryNs = 1_000_000

// run runs job j. A runtime error in the job — a slice bound from a count
// a garbage reply scrambled — ends the job as a crash of the program, not
// the task: the next job goes on. Any other panic is the kernel's and
// goes on up.
func (w *worker) run(j int) (r job) {
	r.n = j
	defer func() {
		if p := recover(); p != nil {
			re, ok := p.(runtime.Error)
			if !ok {
				panic(p)
			}
			r.err, r.at = crashed{re.Error()}, w.sys.Now()
		}
	}()
	r.err = w.wl.Job(w, j)
	r.at = w.sys.Now()
	return r
}

// dial looks up the services the workload needs.
func (w *worker) dial() error {
	var err error
	for _, n := range w.wl.Needs {
		switch n {
		case fsproto.Name:
			w.fs, err = fsproto.Dial(w.sys)
		case pmproto.Name:
			w.pm, err = pmproto.Dial(w.sys)
		case mmproto.Name:
			w.mm, err = mmproto.Dial(w.sys)
		case dsproto.Name:
			w.ds, err = dsproto.Dial(w.sys)
		case netproto.Name:
			_, err = w.sys.Lookup(netproto.Name)
			w.proc = ulib.New(w.sys)
		}
		if err != nil {
			return fmt.Errorf("dial %s: %w", n, err)
		}
	}
	return nil
}

// pattern returns n bytes that depend on seed: what a file holds.
func (w *worker) pattern(seed, n int) []byte {
	p := make([]byte, n)
	copy(p, w.data[seed%1024:])
	binary.LittleEndian.PutUint64(p, uint64(seed))
	return p
}

// writeFile creates path with data; with keep it also fsyncs, reads the
// file back and, when the read matches, records it as durable.
func (w *worker) writeFile(path string, data []byte, keep bool) error {
	fd, err := w.fs.Create(path, 0o644)
	if err != nil {
		return step("fs", "create "+path, err)
	}
	defer w.fs.Close(fd) // a stale descriptor after a restart fails to close: nothing to do about it
	if n, err := w.fs.Write(fd, data); err != nil {
		return step("fs", "write "+path, err)
	} else if n != len(data) {
		return wrong("fs", "write "+path, "wrote %d bytes of %d", n, len(data))
	}
	if !keep {
		return nil
	}
	if err := w.fs.Fsync(fd); err != nil {
		return step("fs", "fsync "+path, err)
	}
	got, err := w.readBack(path, len(data))
	if err != nil {
		return err
	}
	if !bytes.Equal(got, data) {
		return wrong("fs", "read "+path, "read back %d bytes that differ from the %d written", len(got), len(data))
	}
	w.durable[path] = got
	return nil
}

// readBack opens path and reads up to n bytes (and one more, to see the
// end), checking the counts the server replies.
func (w *worker) readBack(path string, n int) ([]byte, error) {
	fd, err := w.fs.Open(path, linux.O_RDONLY, 0)
	if err != nil {
		return nil, step("fs", "open "+path, err)
	}
	defer w.fs.Close(fd)
	var out []byte
	for len(out) <= n {
		buf := w.buf[:min(len(w.buf), n+1-len(out))]
		got, err := w.fs.Read(fd, buf)
		if err != nil {
			return nil, step("fs", "read "+path, err)
		}
		if got < 0 || got > len(buf) {
			return nil, wrong("fs", "read "+path, "the server says it read %d bytes into %d", got, len(buf))
		}
		if got == 0 {
			break
		}
		out = append(out, buf[:got]...)
	}
	return out, nil
}

// checkFile reads path back and compares it with want.
func (w *worker) checkFile(path string, want []byte) error {
	got, err := w.readBack(path, len(want))
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return wrong("fs", "read "+path, "read %d bytes that differ from the %d written", len(got), len(want))
	}
	return nil
}

// spawnTrue runs /bin/true and waits for it to exit 0.
func (w *worker) spawnTrue() error {
	pid, err := w.pm.Spawn("/bin/true", []string{"true"}, nil, nil)
	if err != nil {
		return step("pm", "spawn", err)
	}
	got, ws, err := w.pm.Wait(pid, 0)
	if err != nil {
		return step("pm", "wait", err)
	}
	if got != pid || !ws.Exited() || ws.ExitStatus() != 0 {
		return wrong("pm", "wait", "pid %d status %#x, want pid %d exit 0", got, int(ws), pid)
	}
	return nil
}
