package live

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Options configure a Model. Zero fields take the defaults documented on
// each.
type Options struct {
	// Inner receives every event the model receives, and the model's
	// EvControl events; nil: none.
	Inner kernel.Tracer
	// Events is how many IPC events a snapshot keeps (default 64).
	Events int
	// LogEntries is how many faults, deaths, restarts and controls a
	// snapshot keeps (default 100).
	LogEntries int
	// SampleNs is how often, in virtual time, the model looks at which
	// services are up (default 50 ms). Rates and latencies are the bus's
	// own, over its window (kernel.Config.BusWindowNs).
	SampleNs int64
	// Pulse, the watchdog's, is told that a paused or slowed engine waits
	// on the host, not spins; nil: no watchdog.
	Pulse *kernel.Pulse
	// Script replays controls taken from a trace (ScriptOf).
	Script Script
	// Paused starts the model paused at its first safe point.
	Paused bool
	// Speed starts it at that speed (virtual seconds per wall second); 0
	// is as fast as possible.
	Speed float64
}

// Model is the live model of one running system. Its exported methods are
// safe to call from any goroutine; Event and the safe point run on the
// engine's.
type Model struct {
	k   *kernel.Kernel
	opt Options

	// Engine side: touched only by code the engine runs.
	safe     uint64 // safe points passed
	names    map[ipc.Endpoint]string
	svcNames map[ipc.ServiceID]string
	ipc      ring[IPCEvent]
	ipcSeq   uint64
	pending  map[ipc.Endpoint]pendingCall // caller → its call in progress
	log      ring[LogEntry]
	everUp   map[string]bool // services that had an instance once
	nextAt   int64           // virtual time of the next bus sample
	script   Script
	taken    []Command // the system's controls taken so far
	paused   bool
	steps    int
	speed    float64
	anchorW  time.Time // wall time at anchorV, for speed
	anchorV  int64
	lastV    int64
	ended    bool

	attn atomic.Bool // a view wants something: look under mu

	mu      sync.Mutex
	changed *sync.Cond // a snapshot was published or the controls changed
	h       hostSide
}

// hostSide is what views set and read, under Model.mu.
type hostSide struct {
	paused bool
	steps  int
	speed  float64
	cmds   []Command
	want   bool      // a view asked for a fresh snapshot
	stop   bool      // a view asked to end the run
	snap   *Snapshot // the latest
	gen    uint64    // bumped at each snapshot published
	ended  bool
}

// New returns a model with options o. Boot the system with it as the
// tracer, then Attach it to the kernel.
func New(o Options) *Model {
	if o.Events <= 0 {
		o.Events = 64
	}
	if o.LogEntries <= 0 {
		o.LogEntries = 100
	}
	if o.SampleNs <= 0 {
		o.SampleNs = 50_000_000
	}
	m := &Model{opt: o, names: map[ipc.Endpoint]string{}, svcNames: map[ipc.ServiceID]string{},
		pending: map[ipc.Endpoint]pendingCall{}, everUp: map[string]bool{}, script: o.Script}
	m.ipc.init(o.Events)
	m.log.init(o.LogEntries)
	m.changed = sync.NewCond(&m.mu)
	m.h.paused, m.h.speed = o.Paused, o.Speed
	m.paused, m.speed = o.Paused, o.Speed
	return m
}

// Attach makes the model observe k from its next safe point on. Call it
// before k runs.
func (m *Model) Attach(k *kernel.Kernel) {
	m.k = k
	k.Observe(m.safePoint)
}

// SetPulse sets Options.Pulse; call it before the kernel runs.
func (m *Model) SetPulse(p *kernel.Pulse) { m.opt.Pulse = p }

// safePoint is the kernel's observer: it samples the bus, takes the
// controls views sent, publishes a snapshot when one was asked for, and
// waits while paused or ahead of the speed.
func (m *Model) safePoint() {
	m.safe++
	now := m.k.Now()
	if now >= m.nextAt {
		m.sample(now)
	}
	if len(m.script) > 0 && m.script[0].At <= m.safe {
		m.replay()
	}
	if m.attn.Load() {
		m.take()
	}
	if m.speed > 0 && now != m.lastV {
		m.throttle(now)
	}
	for m.paused {
		if m.steps > 0 {
			m.steps--
			m.publish() // the step's result, for the view that asked for it
			break
		}
		m.waitHost()
		m.take()
	}
}

// sample notes the services that are up, so that a view can tell one
// restarting from one never started.
func (m *Model) sample(now int64) {
	for _, si := range m.k.Services() {
		if si.InKernel || len(si.Instances) > 0 {
			m.everUp[si.Name] = true
		}
	}
	m.nextAt = now - now%m.opt.SampleNs + m.opt.SampleNs
}

// take applies what views asked for since the last safe point.
func (m *Model) take() {
	m.mu.Lock()
	m.attn.Store(false)
	cmds := m.h.cmds
	m.h.cmds = nil
	if m.speed != m.h.speed {
		m.speed = m.h.speed
		m.anchorW, m.anchorV = time.Now(), m.k.Now()
	}
	resumed := m.paused && !m.h.paused
	m.paused, m.steps = m.h.paused, m.steps+m.h.steps
	m.h.steps = 0
	want, stop := m.h.want, m.h.stop
	if stop {
		m.paused = false
	}
	m.mu.Unlock()
	if stop {
		m.k.Stop()
		m.speed = 0
	}
	if resumed {
		m.anchorW, m.anchorV = time.Now(), m.k.Now()
	}
	for _, c := range cmds {
		m.apply(c)
	}
	if want || len(cmds) > 0 {
		m.publish()
	}
}

// waitHost blocks the paused engine until a view changes something.
func (m *Model) waitHost() {
	if p := m.opt.Pulse; p != nil {
		p.HostWait(true)
		defer p.HostWait(false)
	}
	m.mu.Lock()
	for !m.attn.Load() {
		m.changed.Wait()
	}
	m.mu.Unlock()
}

// throttle sleeps until wall time catches up with virtual time at the
// chosen speed, in slices short enough to keep a view's clicks prompt.
func (m *Model) throttle(now int64) {
	m.lastV = now
	if m.anchorW.IsZero() {
		m.anchorW, m.anchorV = time.Now(), now
		return
	}
	target := m.anchorW.Add(time.Duration(float64(now-m.anchorV) / m.speed))
	if p := m.opt.Pulse; p != nil {
		p.HostWait(true)
		defer p.HostWait(false)
	}
	for d := time.Until(target); d > 0 && !m.attn.Load(); d = time.Until(target) {
		time.Sleep(min(d, 20*time.Millisecond))
	}
	if d := time.Until(target); d < -time.Second {
		// Far behind (the host is slower than asked): start afresh rather
		// than run flat out to catch up.
		m.anchorW, m.anchorV = time.Now(), now
	}
}

// publish builds a snapshot and hands it to the views.
func (m *Model) publish() {
	s := m.build()
	m.mu.Lock()
	m.h.snap, m.h.want = s, false
	m.h.gen++
	m.mu.Unlock()
	m.changed.Broadcast()
}

// poke tells the engine that a view changed something. Preconditions:
// m.mu is held (a wake-up is then never lost).
func (m *Model) poke() {
	m.attn.Store(true)
	m.changed.Broadcast()
}

// Finish publishes the final snapshot once the run is over; call it on
// the goroutine that ran the kernel, after Run returned.
func (m *Model) Finish() {
	m.ended = true
	m.publish()
	m.mu.Lock()
	m.h.ended = true
	m.mu.Unlock()
	m.changed.Broadcast()
}

// Snapshot asks the engine for a fresh snapshot and waits for it for at
// most wait; it returns the latest one when the engine does not come to
// a safe point in time (it waits on the host: a console read), and nil
// before the first.
func (m *Model) Snapshot(wait time.Duration) *Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h.ended || m.k == nil {
		return m.h.snap
	}
	gen := m.h.gen
	m.h.want = true
	m.poke()
	deadline := time.Now().Add(wait)
	stop := time.AfterFunc(wait, func() { m.mu.Lock(); m.changed.Broadcast(); m.mu.Unlock() })
	defer stop.Stop()
	for m.h.gen == gen && !m.h.ended && time.Now().Before(deadline) {
		m.changed.Wait()
	}
	return m.h.snap
}

// Latest returns the latest snapshot without asking for a new one.
func (m *Model) Latest() *Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.h.snap
}

// Ended reports whether the run is over (Finish was called).
func (m *Model) Ended() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.h.ended
}
