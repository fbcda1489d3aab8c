//go:build linux

package procplace

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	"gvisor.dev/gvisor/pkg/flipcall"

	"github.com/mkos/mkos/ipc"
)

// Supported reports whether this host can place servers in processes.
const Supported = true

// Body returns the body of a proxy task: it starts the server process o
// describes and executes, inside the kernel, every system call the
// process makes, until the process dies or the task is killed. It then
// ends the task with a cause that says how the process died (an
// ipc.Fault), or kills the process when the task was killed.
//
// The body blocks on the host while the process works (one flipcall
// round trip per system call), holding its virtual CPU: nothing else in
// the simulation runs meanwhile, so virtual time and the trace do not
// depend on how long the process took in host time.
func Body(o Options) func(sys ipc.Sys) {
	return func(sys ipc.Sys) {
		p, err := start(o)
		if err != nil {
			panic(ipc.Fault{Cause: "process: " + err.Error(), Code: 127})
		}
		defer p.stop()
		p.serve(sys)
	}
}

// proc is one running server process, seen from its proxy.
type proc struct {
	o      Options
	cmd    *exec.Cmd
	ep     *flipcall.Endpoint
	stderr tail
	done   chan struct{} // closed when the process has been reaped
	state  *os.ProcessState
	hung   atomic.Bool   // the watchdog killed it
	seq    atomic.Uint64 // odd while the proxy waits for the process
	req    []byte        // the current request, copied out of the window
}

// start starts the process with its window and configuration.
func start(o Options) (*proc, error) {
	exe := o.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	pwa, err := flipcall.NewPacketWindowAllocator()
	if err != nil {
		return nil, err
	}
	defer pwa.Destroy()
	desc, err := pwa.Allocate(flipcall.PacketWindowLengthForDataCap(windowBytes))
	if err != nil {
		return nil, err
	}
	ep, err := flipcall.NewEndpoint(flipcall.ServerSide, desc)
	if err != nil {
		return nil, err
	}
	p := &proc{o: o, ep: ep, done: make(chan struct{}), req: make([]byte, ep.DataCap())}
	if err := p.exec(exe, desc); err != nil {
		ep.Destroy()
		return nil, err
	}
	return p, nil
}

// exec starts the child: argv names the window, stdin carries the
// configuration, the window is its only other descriptor (fd 3, as
// ExtraFiles places it), its environment is empty, and it dies with us.
func (p *proc) exec(exe string, desc flipcall.PacketWindowDescriptor) error {
	fd, err := unix.FcntlInt(uintptr(desc.FD), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return err
	}
	win := os.NewFile(uintptr(fd), "flipcall-window")
	defer win.Close()
	p.cmd = exec.Command(exe, SubCommand, p.o.Service, p.o.Impl,
		strconv.FormatInt(desc.Offset, 10), strconv.Itoa(desc.Length))
	p.cmd.Env = []string{}
	p.cmd.Stdin = bytes.NewReader(p.o.Config)
	p.cmd.Stderr = &p.stderr
	p.cmd.ExtraFiles = []*os.File{win}
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		return err
	}
	if p.o.OnStart != nil {
		p.o.OnStart(p.cmd.Process.Pid)
	}
	go p.reap()
	go p.watch(p.o.watchdog())
	return nil
}

// reap waits for the process to end, then shuts the window down so that
// a proxy waiting in it returns.
func (p *proc) reap() {
	_ = p.cmd.Wait()
	p.state = p.cmd.ProcessState
	p.ep.Shutdown()
	close(p.done)
}

// watch is the host-time watchdog: a process that keeps the proxy
// waiting for one answer longer than limit is killed as hung.
func (p *proc) watch(limit time.Duration) {
	period := max(limit/8, time.Millisecond)
	t := time.NewTicker(period)
	defer t.Stop()
	var last uint64
	var waited time.Duration
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		s := p.seq.Load()
		if s&1 == 0 || s != last {
			last, waited = s, 0
			continue
		}
		if waited += period; waited >= limit {
			p.hung.Store(true)
			_ = p.cmd.Process.Kill()
			return
		}
	}
}

// serve is the proxy loop: take a request, execute it, answer and wait
// for the next one.
func (p *proc) serve(sys ipc.Sys) {
	ks := newKernelSide(sys, p.o.CrossNs)
	ks.arm, ks.kill9 = p.o.Arm, func() { _ = p.cmd.Process.Kill() }
	ks.makers, ks.host = p.o.Makers, p.o.Host
	win := p.ep.Data()
	p.seq.Add(1)
	p.o.hostWait(true)
	n, err := p.ep.RecvFirst()
	p.o.hostWait(false)
	for {
		p.seq.Add(1)
		if err != nil {
			p.died()
		}
		copy(p.req, win[:n])
		out := ks.do(p.req[:n], win)
		if ks.exit != nil {
			p.stop()
			sys.Exit(*ks.exit)
		}
		p.seq.Add(1)
		p.o.hostWait(true)
		n, err = p.ep.SendRecv(uint32(out))
		p.o.hostWait(false)
	}
}

// stop kills the process if it still runs and waits until it is reaped.
func (p *proc) stop() {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	if p.ep != nil {
		p.ep.Destroy()
		p.ep = nil
	}
}

// died ends the proxy task with the cause of the process's death.
func (p *proc) died() {
	<-p.done
	cause, code := describe(p.state, p.hung.Load(), p.stderr.String(), p.o.watchdog())
	panic(ipc.Fault{Cause: cause, Code: code})
}

// describe turns how a process ended into a death's cause and status.
func describe(st *os.ProcessState, hung bool, stderr string, limit time.Duration) (string, int) {
	ws, _ := st.Sys().(syscall.WaitStatus)
	var cause string
	code := st.ExitCode()
	switch {
	case ws.Signaled():
		code = 128 + int(ws.Signal())
		cause = "killed by " + unix.SignalName(ws.Signal())
	default:
		cause = fmt.Sprintf("exited with status %d", code)
	}
	if hung {
		return fmt.Sprintf("hang: no answer in %v of host time (%s)", limit, cause), code
	}
	if sys, ok := seccompKill(stderr); ok {
		return "killed by SIGSYS (seccomp: " + sys + ")", 128 + int(unix.SIGSYS)
	}
	if ws.Signaled() && ws.Signal() == unix.SIGSYS {
		return cause + " (seccomp: a thread the Go runtime does not run)", code
	}
	if why := firstFatal(stderr); why != "" {
		cause += ": " + why
	}
	return cause, code
}

// tail keeps the first bytes a process writes to stderr, where the Go
// runtime says why it died.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailBytes = 16 << 10

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if room := tailBytes - len(t.buf); room > 0 {
		t.buf = append(t.buf, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// rawEcho is the service name that makes Child a bare flipcall echo:
// the reference a process-placed system call is measured against.
const rawEcho = "-flipcall-echo"

// MeasureRoundTrip measures a raw flipcall round trip between this process
// and a child (exe, as for Options.Exe) that answers at once, for at least
// d of host time, and returns the mean in ns.
func MeasureRoundTrip(exe string, d time.Duration) (float64, error) {
	p, err := start(Options{Service: rawEcho, Impl: rawEcho, Exe: exe})
	if err != nil {
		return 0, err
	}
	defer p.stop()
	if _, err := p.ep.RecvFirst(); err != nil {
		return 0, err
	}
	n, begin := 0, time.Now()
	for time.Since(begin) < d {
		for range 1000 {
			if _, err := p.ep.SendRecv(0); err != nil {
				return 0, err
			}
		}
		n += 1000
	}
	return float64(time.Since(begin).Nanoseconds()) / float64(n), nil
}
