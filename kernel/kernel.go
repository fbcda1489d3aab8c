package kernel

import (
	"fmt"
	"math/rand/v2"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// Config is what the kernel is booted with. Zero fields take the defaults
// documented on each.
type Config struct {
	// CPUs is the number of virtual CPUs (default 1).
	CPUs int
	// Policy names the scheduling policy of every CPU (default "rr").
	Policy string
	// Sched holds the policy's parameters.
	Sched sched.Params
	// HZ is the clock tick rate (default 100).
	HZ int
	// Profile is the cost model (default Profiles["l4"]).
	Profile Profile
	// Seed seeds the kernel's random generator (Sys.Rand).
	Seed uint64
	// ServiceWaitNs bounds how long a request waits for a service with no
	// live instance before it fails with ErrNoInstance (default 1 s).
	ServiceWaitNs int64
	// BusWindowNs is the sliding window of virtual time over which the
	// bus's metrics count rates and latency percentiles (default 1 s;
	// busmetrics.go).
	BusWindowNs int64
	// MaxTimeNs stops the run at that virtual time; 0 runs until no task
	// can ever run again.
	MaxTimeNs int64
	// MaxTasks bounds the task table (default 1<<20).
	MaxTasks int
	// Trace receives every kernel event; nil traces nothing.
	Trace Tracer
	// Memory sizes physical memory and the TLBs.
	Memory MemConfig
	// Pager names the service that page faults go to and that may use
	// Sys.VM (default "mm"): the memory manager is policy, outside the
	// kernel, and the kernel knows it only by this name.
	Pager string
	// NoPriorityInheritance turns off priority inheritance over IPC
	// (sched_pi.go), to show priority inversion.
	NoPriorityInheritance bool
	// GlobalQueue gives all CPUs one shared run queue instead of one each
	// with a load balancer.
	GlobalQueue bool
	// Route is the bus's rule between a service's local instances and its
	// remote ones (a gateway's; bus_remote.go): local first by default.
	Route ipc.RoutePolicy
}

func (c *Config) setDefaults() error {
	if c.CPUs == 0 {
		c.CPUs = 1
	}
	if c.CPUs < 0 || c.CPUs > 256 {
		return fmt.Errorf("cpus: %d is out of range 1..256", c.CPUs)
	}
	if c.Policy == "" {
		c.Policy = "rr"
	}
	if c.HZ == 0 {
		c.HZ = 100
	}
	if c.HZ < 0 || c.HZ > 1_000_000 {
		return fmt.Errorf("hz: %d is out of range 1..1000000", c.HZ)
	}
	if c.Profile.Name == "" {
		c.Profile = Profiles["l4"]
	}
	if c.ServiceWaitNs == 0 {
		c.ServiceWaitNs = 1_000_000_000
	}
	if c.BusWindowNs <= 0 {
		c.BusWindowNs = 1_000_000_000
	}
	if c.MaxTasks == 0 {
		c.MaxTasks = 1 << 20
	}
	if c.Pager == "" {
		c.Pager = "mm"
	}
	if c.Memory.Frames == 0 {
		c.Memory.Frames = 1024
	}
	if c.Memory.Frames < 0 || c.Memory.Frames > maxFrames {
		return fmt.Errorf("frames: %d is out of range 1..%d", c.Memory.Frames, maxFrames)
	}
	if c.Memory.TLBEntries == 0 {
		c.Memory.TLBEntries = 16
	}
	if c.Memory.TLBEntries > 4096 {
		return fmt.Errorf("tlb entries: %d is above 4096", c.Memory.TLBEntries)
	}
	return nil
}

// Kernel is the whole kernel state: the task table, the CPUs, the clock's
// event queue and the service bus. It is a state machine: it starts no
// goroutines of its own and reads no host time. Run drives it.
type Kernel struct {
	cfg    Config
	tickNs int64
	limit  int64 // MaxTimeNs, or the largest time when there is none
	// bound is limit, or the group's horizon when earlier (group.go): the
	// engine's fast path checks only it.
	bound  int64
	stepAt int64   // the time of the latest event fired (stepTime)
	gate   *member // the kernel's place in a Group, nil when alone
	cutOff bool    // the run stopped at the limit with work left (TimeLimitHit)

	// Task table. Slot 0 is the kernel itself and never holds a task.
	tasks []*Task
	free  []uint32 // free slots, reused oldest first
	gens  []uint32 // generation per slot, kept after the task is gone
	live  int

	cpus   []*cpu
	events eventHeap
	seq    uint64 // orders events with equal times
	tickOn bool   // a tick event is queued

	bus     bus
	pubsub  pubsub  // topics and their subscriptions (pubsub.go)
	streams streams // request/stream (stream.go)
	devices []*device
	mem     physMem

	supervisor *Task
	deaths     []ipc.Death
	watchers   []*service // services that hear of every death (exits.go)
	keep       *Task      // the task the kernel respawns (KeepAlive)
	keepSpec   ipc.TaskSpec

	rng    *rand.Rand
	trace  Tracer
	stats  Stats
	want   *Task  // the engine's next task, set by the goroutine that yields
	halted error  // the *Panic, or the watchdog's *Stall, that stopped the run
	pulse  *Pulse // nil unless a watchdog asked for it (pulse.go)
	// observe is called at every safe point; nil unless a live view
	// watches (observe.go).
	observe func()
	stop    []*Task // killed tasks whose coroutines must be stopped
	ended   bool
}

// New returns a booted kernel with no tasks. Spawn and Place add them.
func New(cfg Config) (*Kernel, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	k := &Kernel{cfg: cfg, tickNs: int64(1e9 / cfg.HZ), trace: cfg.Trace, limit: cfg.MaxTimeNs}
	if k.limit <= 0 {
		k.limit = 1<<63 - 1
	}
	k.bound = k.limit
	k.rng = rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x6d6b6f73))
	k.tasks = []*Task{nil}
	k.gens = []uint32{0}
	var shared sched.Policy
	for i := 0; i < cfg.CPUs; i++ {
		p, err := sched.New(cfg.Policy, cfg.Sched)
		if err != nil {
			return nil, err
		}
		if cfg.GlobalQueue {
			if shared == nil {
				shared = p
			}
			p = shared
		}
		c := &cpu{id: i, rq: p}
		if cfg.Memory.TLBEntries > 0 {
			c.tlb.e = make([]tlbEntry, cfg.Memory.TLBEntries)
		}
		k.cpus = append(k.cpus, c)
	}
	k.mem = newPhysMem(cfg.Memory.Frames)
	k.bus.init(max(cfg.BusWindowNs/meterSlots, 1))
	return k, nil
}

// Config returns the configuration the kernel runs with, defaults filled.
func (k *Kernel) Config() Config { return k.cfg }

// Now returns the virtual time: the latest clock among the CPUs.
func (k *Kernel) Now() int64 {
	var t int64
	for _, c := range k.cpus {
		t = max(t, c.now)
	}
	return t
}

// TimeLimitHit reports whether the run stopped at Config.MaxTimeNs with
// work left to do: a task that could run, or an event due later.
func (k *Kernel) TimeLimitHit() bool { return k.cutOff }

// Halted returns the kernel panic that stopped the system, or nil.
func (k *Kernel) Halted() *Panic {
	p, _ := k.halted.(*Panic)
	return p
}

// Spawn creates a task from outside any task (boot code). It is the same as
// the Spawn system call.
func (k *Kernel) Spawn(spec ipc.TaskSpec) (ipc.Endpoint, error) {
	t, e := k.spawn(nil, spec, k.Now())
	if e != 0 {
		return 0, fmt.Errorf("spawn %s: %w", spec.Name, e)
	}
	return t.ep, nil
}

// lookup returns the live task named by ep, or an errno: ErrDead for a stale
// or dead endpoint, ErrInvalid for something that is not a task endpoint.
func (k *Kernel) lookup(ep ipc.Endpoint) (*Task, ipc.Errno) {
	if ep.IsService() || ep == ipc.Any || ep == ipc.KernelEndpoint {
		return nil, ipc.ErrInvalid
	}
	s := ep.Slot()
	if int(s) >= len(k.tasks) {
		return nil, ipc.ErrDead
	}
	t := k.tasks[s]
	if t == nil || t.ep != ep || !t.alive() {
		return nil, ipc.ErrDead
	}
	return t, 0
}

// Task returns the live task named by ep, or nil.
func (k *Kernel) Task(ep ipc.Endpoint) *Task {
	t, _ := k.lookup(ep)
	return t
}

// Tasks returns the live tasks in slot order.
func (k *Kernel) Tasks() []*Task {
	var out []*Task
	for _, t := range k.tasks {
		if t != nil && t.alive() {
			out = append(out, t)
		}
	}
	return out
}
