package kernel

import (
	"fmt"
	"sync/atomic"

	"github.com/mkos/mkos/ipc"
)

// The pulse: how a watchdog on another goroutine sees the engine make
// progress. LECTURE: watchdog
//
// A body is a coroutine, and a coroutine cannot be preempted: a body that
// loops in Go code without a trap holds its host CPU for ever, and no
// kernel code runs to notice. Something outside the engine must: the
// watchdog (package kernel/watchdog, host-facing), which reads host time
// and runs on a goroutine of its own. The kernel does neither. Each time
// it hands the CPU to code it does not control — a body returning from a
// system call or starting, a server's handler placed in the kernel — it
// writes down which task, after which call, at which virtual time, and
// publishes a count with one atomic swap. That changes nothing the kernel
// decides: the same seed still gives the same run.
//
// The protocol, with beat = count<<2 | waiting<<1 | tripped:
//
//  1. At count n the engine writes its record into rec[n&1], then swaps
//     beat to n<<2 (plus waitBit while code it runs waits on the host: a
//     read of the host's standard input is not a spin).
//  2. The watchdog loads beat now and then. A beat unchanged, and not
//     waiting, for longer than its limit is a stall: it trips with
//     CompareAndSwap(b, b|tripBit). If that fails the engine moved on and
//     there was no stall.
//  3. Having tripped at b, the watchdog reads rec[(b>>2)&1]. The engine's
//     next count writes the other record, and its swap returns the trip
//     bit: from then on the engine writes no record, so the one the
//     watchdog reads is never written concurrently.
//  4. That engine (the spinning code gave its CPU back after all) halts
//     the run with the Stall.
//
// Cost, only when a watchdog asked for the pulse: one uncontended atomic
// swap each time a body or an in-kernel handler is resumed.

// The low bits of a beat.
const (
	tripBit = 1 << 0 // the watchdog tripped at this beat
	waitBit = 1 << 1 // the engine waits on the host
)

// Pulse is a kernel's sign of life, for a watchdog on another goroutine.
// Beat and Trip are safe to call from any goroutine; HostWait only from
// code the engine runs.
type Pulse struct {
	beat atomic.Uint64

	// Touched only by code the engine runs.
	k       *Kernel
	n       uint64
	waiting int
	rec     [2]trapRecord
	tripped bool // the engine saw the trip bit: it writes no record again
}

// trapRecord is what the watchdog reports of a beat: the task whose code
// runs, the system call it made last, and the virtual time.
type trapRecord struct {
	task *Task
	call string
	now  int64
}

// Pulse returns k's pulse, made on the first call: call it before Run.
// From then on the engine beats each time a body or an in-kernel handler
// runs again.
func (k *Kernel) Pulse() *Pulse {
	if k.pulse == nil {
		k.pulse = &Pulse{k: k}
	}
	return k.pulse
}

// Beat returns the engine's progress count, which changes each time a
// body or an in-kernel handler runs again, and whether the engine is
// waiting on the host.
func (p *Pulse) Beat() (beat uint64, waiting bool) {
	b := p.beat.Load()
	return b &^ (tripBit | waitBit), b&waitBit != 0
}

// Trip stops a run whose beat has stayed at beat (from Beat) for hostNs
// of host time. It reports false when the engine has moved on since; else
// the run is the watchdog's: the engine halts with the returned Stall if
// it ever traps again.
func (p *Pulse) Trip(beat uint64, hostNs int64) (*Stall, bool) {
	if !p.beat.CompareAndSwap(beat, beat|tripBit) {
		return nil, false
	}
	s := p.rec[(beat>>2)&1].stall()
	s.HostNs = hostNs
	return s, true
}

// HostWait marks the start (true) and the end (false) of a wait on the
// host that is not a spin — a read of the host's standard input, a write
// to a terminal or a pipe. A nil Pulse ignores it. Call it only from code
// the engine runs: a device's or an in-kernel server's.
func (p *Pulse) HostWait(on bool) {
	if p == nil || p.tripped {
		return
	}
	if on {
		p.waiting++
	} else {
		p.waiting--
	}
	p.n++
	p.rec[p.n&1] = p.rec[(p.n-1)&1]
	p.publish()
}

// run publishes that code the engine does not control — task t's body
// (after its system call `call`), or a server's handler placed in the
// kernel, inside t's trap — runs from virtual time now: a body or a
// handler is where a spin can happen.
func (p *Pulse) run(t *Task, call string, now int64) {
	if p.tripped {
		return
	}
	p.n++
	p.rec[p.n&1] = trapRecord{task: t, call: call, now: now}
	p.publish()
}

// leave publishes that t returns from the kernel to its body. A memory
// access (Load, Store) enters the kernel without a trap's entry.
func (p *Pulse) leave(t *Task) {
	call := t.call
	if call == "" {
		call = "Load/Store"
	}
	t.call = ""
	p.run(t, call, p.k.cpuOf(t).now)
}

// publish swaps the beat in; a trip bit in the old one halts the run.
func (p *Pulse) publish() {
	v := p.n << 2
	if p.waiting > 0 {
		v |= waitBit
	}
	if p.beat.Swap(v)&tripBit == 0 {
		return
	}
	p.tripped = true
	if p.k.halted == nil {
		p.k.halted = p.rec[(p.n-1)&1].stall()
	}
}

// stall is the Stall of a run whose last trap was r.
func (r *trapRecord) stall() *Stall {
	s := &Stall{Trap: r.call, TimeNs: r.now}
	if r.task != nil {
		s.Task, s.Name = r.task.ep, r.task.name
	}
	return s
}

// Stall is a run the watchdog stopped: task Name (or a handler placed in
// the kernel, inside its system call) ran on the host for HostNs of host
// time without a system call. Its last system call was Trap ("": none
// yet), which returned, or called the handler, at virtual time TimeNs.
type Stall struct {
	Task   ipc.Endpoint
	Name   string
	Trap   string
	TimeNs int64
	HostNs int64
}

func (s *Stall) Error() string {
	last := "its last was " + s.Trap
	if s.Trap == "" {
		last = "it had made none"
	}
	ran := "too long"
	if s.HostNs > 0 {
		ran = "for " + FormatNs(s.HostNs)
	}
	return fmt.Sprintf("watchdog: task %s (%v) ran %s of host time without a system call (%s, at virtual time %s); the run was stopped",
		s.Name, s.Task, ran, last, FormatNs(s.TimeNs))
}
