package boot

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/programs"
	"github.com/mkos/mkos/user/wasi"
)

// Process placement: a user-space server that runs in a host process of
// its own, the mkos binary started again as `mkos serve NAME ...`. In the
// kernel it is still an ordinary task, spawned and restarted by rs; that
// task's body is a proxy (boot/procplace) that makes, inside the kernel,
// every system call the process asks for.

// Isolations of user-space servers.
const (
	IsolationTask    = "task"    // a task on a coroutine in the mkos process (the default)
	IsolationProcess = "process" // a host process of its own, sandboxed
)

// InProcess reports whether server s runs in a host process of its own
// under c: placement: process in hybrid mode, or isolation: process for
// every user-space server. Every server can: ds's store and pm's table
// stay with mkos and reach their process through its window
// (process_store.go, process_table.go), and pm spawns programs by recipe
// (ipc.Recipe).
func (c *Config) InProcess(s ServerConf) bool {
	if c.InKernel(s) {
		return false
	}
	if c.Mode == Hybrid && s.Placement == IsolationProcess {
		return true
	}
	return c.Isolation == IsolationProcess
}

// checkProcess checks the isolation key and the process placements.
func (c *Config) checkProcess() error {
	switch c.Isolation {
	case "", IsolationTask, IsolationProcess:
	default:
		return fmt.Errorf("isolation: %q is not task or process", c.Isolation)
	}
	if c.ProcessWatchdog < 0 {
		return fmt.Errorf("process_watchdog: must not be negative")
	}
	any := c.Isolation == IsolationProcess
	for _, s := range c.Servers {
		any = any || s.Placement == IsolationProcess
	}
	if any && !procplace.Supported {
		return fmt.Errorf("isolation: process placement is Linux-only (gVisor flipcall and seccomp); not available on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	return nil
}

// processBody is the task body of a process-placed instance of service
// running impl: the proxy of a fresh process.
func (s *System) processBody(service, impl string) func(ipc.Sys) {
	cfg := s.Config
	if cfg.Console != nil {
		cc := *cfg.Console
		cc.In, cc.Out = nil, nil // host ends stay with mkos
		cfg.Console = &cc
	}
	data, err := json.Marshal(&cfg)
	if err != nil {
		panic(err) // a Config is plain data
	}
	o := procplace.Options{
		Service: service, Impl: impl, Config: data, Exe: ProcessExe,
		CrossNs:  kernel.Profiles[s.Config.Profile].ProcessCrossNs,
		Watchdog: time.Duration(s.Config.ProcessWatchdog),
		Arm:      s.arm(service),
		OnStart:  func(pid int) { s.notePID(service, pid) },
		HostWait: func(on bool) { s.watch.Pulse().HostWait(on) },
	}
	if protocol(impl) == pmproto.Name {
		o.Makers = recipeMakers(s.watch.Pulse())
		o.Host = serveStore(tableHost{s.Config.state().pmMem()})
	}
	if protocol(impl) == dsproto.Name {
		st, err := s.Config.state().dsStore(&s.Config)
		if err != nil {
			panic(err) // Boot opened it already; it cannot fail now
		}
		o.Host = serveStore(st)
	}
	return procplace.Body(o)
}

// notePID records the host PID of service's newest process.
func (s *System) notePID(service string, pid int) {
	if s.pids == nil {
		s.pids = map[string]int{}
	}
	s.pids[service] = pid
}

// HostPID returns the host PID of the newest process of a process-placed
// service, 0 when it has none.
func (s *System) HostPID(service string) int { return s.pids[service] }

// ProcessExe is the binary server processes run; empty is this process's
// own executable (the mkos binary, or a test binary whose TestMain calls
// ChildMain).
var ProcessExe string

// ChildMain makes this process a server process when it was started as
// one (`mkos serve ...`): it serves, then exits. Otherwise it returns at
// once. mkos's main and the TestMain of every test that places servers in
// processes call it first.
func ChildMain() {
	if len(os.Args) < 2 || os.Args[1] != procplace.SubCommand {
		return
	}
	err := procplace.Child(os.Args[2:], newServer)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mkos %s: %v\n", procplace.SubCommand, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// newServer builds server impl, in its process, from the configuration
// the process was given; a ds finds its store through host, a pm its
// table.
func newServer(config []byte, impl string, host procplace.HostCall) (ipc.Server, error) {
	var cfg Config
	if err := json.Unmarshal(config, &cfg); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	mk := Servers[impl]
	if mk == nil {
		return nil, fmt.Errorf("%q cannot run in a process", impl)
	}
	switch protocol(impl) {
	case dsproto.Name:
		cfg.state().ds = remoteStore{host: host}
	case pmproto.Name:
		cfg.state().pmRemote = remoteTable{remoteStore{host: host}}
	}
	return mk(&cfg), nil
}

// recipeMakers returns the makers of the bodies of the tasks a server
// process spawns (ipc.Recipe): pm's programs, from the programs this
// binary holds (one table per process, not per spawn), or WebAssembly
// modules pm's Loader found (wasm.go), whose compiles wait on the host
// for pulse.
func recipeMakers(pulse *kernel.Pulse) map[string]procplace.Maker {
	bin := programs.Bin()
	fromFile := func(path string) pmproto.Program { return wasi.Program(path, pulse.HostWait) }
	return map[string]procplace.Maker{
		pm.RecipeMaker: func(arg []byte) (func(ipc.Sys), error) { return pm.MakeBody(bin, fromFile, arg) },
	}
}

// placementOf says where service si runs: "kernel", "user" (a task),
// "remote" (only on other nodes of a cluster) or "process".
func (s *System) placementOf(si kernel.ServiceInfo) string {
	switch {
	case si.InKernel:
		return "kernel"
	case s.inProcess(si.Name):
		return IsolationProcess
	case len(si.Instances) == 0 && len(si.Remotes) > 0:
		return "remote" // on another node, through the gateway (node.go)
	}
	return "user"
}

// inProcess reports whether the named service is a configured server
// placed in a process (rs, say, is not a configured server).
func (s *System) inProcess(name string) bool {
	for _, sc := range s.Config.servers() {
		if sc.Name == name {
			return s.Config.InProcess(sc)
		}
	}
	return false
}

// arm returns service's host-fault arm, creating it.
func (s *System) arm(service string) *procplace.Arm {
	if s.arms == nil {
		s.arms = map[string]*procplace.Arm{}
	}
	if s.arms[service] == nil {
		s.arms[service] = &procplace.Arm{}
	}
	return s.arms[service]
}

// InjectHost arms host fault f in the process of service: it hits the
// next request the process receives. The service must be placed in a
// process.
func (s *System) InjectHost(service string, f procplace.HostFault) error {
	if !s.inProcess(service) {
		return fmt.Errorf("inject %v: %s is not placed in a process", f, service)
	}
	s.arm(service).Set(f)
	return nil
}
