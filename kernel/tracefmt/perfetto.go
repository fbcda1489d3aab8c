package tracefmt

import (
	"cmp"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// The Chrome trace-event format ("Trace Event Format", read by
// chrome://tracing and ui.perfetto.dev), laid out for a microkernel:
//
//   - a process per virtual CPU ("cpu0"), with a thread track per task
//     that ran there and a slice for each stretch it ran, and a counter
//     of the CPU's run-queue length at each context switch;
//   - a process per service ("svc fs"), with a thread track per instance
//     task and a slice for each request it served, from delivery to
//     reply, named by the protocol ("fs.open"); an instance serving
//     several requests at once (a driver) gets more lanes ("disk(5.1) #2");
//   - a flow arrow from each call (in the caller's running slice) to its
//     reply (in the server's), so a request can be followed across tasks;
//   - instant events for faults, deaths, restarts, panics, failed calls
//     and the like.
//
// Timestamps are microseconds (the format's unit) with nanosecond
// decimals.

// traceEvent is one record of the trace-event format.
type traceEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Ts   float64        `json:"ts"`
	Dur  *float64       `json:"dur,omitempty"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	ID   string         `json:"id,omitempty"`
	Bp   string         `json:"bp,omitempty"`
	S    string         `json:"s,omitempty"`
	Args map[string]any `json:"args,omitempty"`

	ns int64 // Ts in nanoseconds, for exact durations
}

// Process ids: CPUs from cpuPid, services from svcPid on.
const (
	cpuPid = 1
	svcPid = 1000
)

// perfetto is the state of one export.
type perfetto struct {
	c       *Chart
	out     []traceEvent
	tids    map[[2]int]int // (pid, task) → tid, numbered as met
	threads []traceEvent   // thread_name records
	procs   map[int]string // pid → process name
	running map[int]*traceEvent
	svcPids map[string]int
	lanes   map[[2]int][]*lane           // (service pid, instance task) → its lanes
	serving map[ipc.Endpoint]*serve      // client → the request it waits on
	calls   map[ipc.Endpoint]*traceEvent // client → the start of its call's flow, emitted with its end
	flows   int
	lastNs  int64
}

// serve is a request being served: the slice that shows it, still
// open, and its lane.
type serve struct {
	slice traceEvent
	lane  *lane
}

// lane is one track of a service instance: it holds one request at a
// time. With several CPUs events come in the order they happen on each
// CPU, not in one order of time, so a lane is free for a request that
// starts no earlier than the end of the last one it held.
type lane struct {
	open   bool
	freeNs int64
}

// WritePerfetto writes events as a Chrome/Perfetto trace-event JSON object.
// A trace of several machines gets each machine's processes apart
// (perfetto_hosts.go).
func WritePerfetto(w io.Writer, events []kernel.Event) error {
	return json.NewEncoder(w).Encode(struct {
		TraceEvents     []traceEvent `json:"traceEvents"`
		DisplayTimeUnit string       `json:"displayTimeUnit"`
	}{perfettoEvents(events), "ns"})
}

// render turns one machine's events into trace events.
func render(events []kernel.Event) []traceEvent {
	p := &perfetto{c: NewChart(), tids: map[[2]int]int{}, procs: map[int]string{}, svcPids: map[string]int{}, lanes: map[[2]int][]*lane{},
		running: map[int]*traceEvent{}, serving: map[ipc.Endpoint]*serve{}, calls: map[ipc.Endpoint]*traceEvent{}}
	p.c.Prepare(events)
	for i := range events {
		p.event(&events[i])
	}
	p.finish()
	return append(p.meta(), p.out...)
}

// event turns one kernel event into trace events.
func (p *perfetto) event(e *kernel.Event) {
	p.c.learn(e)
	ts := float64(e.T) / 1000
	p.lastNs = max(p.lastNs, e.T)
	switch e.Kind {
	case kernel.EvSwitch:
		p.switchTo(e, ts)
	case kernel.EvTick:
		p.cpu(e.CPU)
	case kernel.EvCall:
		p.call(e, ts)
	case kernel.EvReceive:
		p.receive(e, ts)
	case kernel.EvReply:
		p.reply(e, ts, e.Peer, "")
	case kernel.EvFail, kernel.EvTimeout:
		p.reply(e, ts, e.Task, strings.TrimSpace(p.c.Line(e)))
	case kernel.EvSend, kernel.EvSpawn, kernel.EvRegister, kernel.EvNotify, kernel.EvInterrupt:
		// messages and boot steps: the slices and flows show them
	case kernel.EvRestart, kernel.EvUpdate:
		pid := p.service(e.Svc)
		p.out = append(p.out, traceEvent{Name: e.Kind.String() + " " + e.Svc, Cat: "fault", Ph: "i", Ts: ts, Pid: pid, S: "p",
			Args: map[string]any{"event": strings.TrimSpace(p.c.Line(e))}})
	default: // fault, death, panic, deadlock, page fault, injection, denial
		p.out = append(p.out, traceEvent{Name: e.Kind.String() + " " + p.c.party(e.Task), Cat: "fault", Ph: "i", Ts: ts,
			Pid: cpuPid + e.CPU, S: "g", Args: map[string]any{"event": strings.TrimSpace(p.c.Line(e))}})
	}
}

// switchTo ends the CPU's running slice and starts the next task's, and
// counts the run queue.
func (p *perfetto) switchTo(e *kernel.Event, ts float64) {
	pid := p.cpu(e.CPU)
	p.end(e.CPU, e.T)
	p.running[e.CPU] = &traceEvent{Name: p.c.party(e.Peer), Cat: "run", Ph: "X", Ts: ts, ns: e.T, Pid: pid, Tid: p.tid(pid, e.Peer)}
	p.out = append(p.out, traceEvent{Name: "run queue", Ph: "C", Ts: ts, Pid: pid, Tid: 0,
		Args: map[string]any{"tasks": e.Word}})
}

// end closes the CPU's running slice at time ns.
func (p *perfetto) end(cpu int, ns int64) {
	if s := p.running[cpu]; s != nil {
		d := float64(ns-s.ns) / 1000
		s.Dur = &d
		p.out = append(p.out, *s)
		delete(p.running, cpu)
	}
}

// call starts a flow in the caller's running slice. An in-kernel call
// has no reply event, and so no flow.
func (p *perfetto) call(e *kernel.Event, ts float64) {
	pid := p.cpu(e.CPU)
	if p.c.inKernel[e.Peer] || !p.runs(e.CPU, pid, e.Task) {
		return
	}
	p.flows++
	p.calls[e.Task] = &traceEvent{Name: "call", Cat: "ipc", Ph: "s", Ts: ts, Pid: pid, Tid: p.tid(pid, e.Task),
		ID: strconv.Itoa(p.flows), Args: map[string]any{"message": p.c.MessageName(e)}}
}

// runs reports whether task ep's slice is the one running on cpu, so
// that a flow binds to it.
func (p *perfetto) runs(cpu, pid int, ep ipc.Endpoint) bool {
	s := p.running[cpu]
	return s != nil && ep != ipc.KernelEndpoint && s.Tid == p.tid(pid, ep)
}

// receive starts the request's slice in its service's process, on the
// serving task's track, or on another lane of it when the task is
// serving other requests too (a driver holds many).
func (p *perfetto) receive(e *kernel.Event, ts float64) {
	svc := e.Svc
	if svc == "" {
		svc = p.c.serviceOf(e.Peer)
	}
	if svc == "" {
		return // a message to a task, not a request to a service
	}
	pid := p.service(svc)
	tid, l := p.lane(pid, e.Peer, e.T)
	p.serving[e.Task] = &serve{lane: l, slice: traceEvent{Name: p.c.MessageName(e), Cat: "serve", Ph: "X", Ts: ts,
		ns: e.T, Pid: pid, Tid: tid, Args: map[string]any{"client": p.c.party(e.Task)}}}
}

// lane returns a track of server in service process pid free at time
// ns, and marks it open.
func (p *perfetto) lane(pid int, server ipc.Endpoint, ns int64) (int, *lane) {
	key := [2]int{pid, int(server)}
	ls := p.lanes[key]
	n := 0
	for n < len(ls) && (ls[n].open || ls[n].freeNs > ns) {
		n++
	}
	if n == len(ls) {
		ls = append(ls, &lane{})
		p.lanes[key] = ls
	}
	ls[n].open = true
	name := p.c.party(server)
	if n > 0 {
		name += " #" + strconv.Itoa(n+1)
	}
	return p.named(pid, int(server)|n<<40, name), ls[n]
}

// endServe closes a request's slice at time ns.
func (p *perfetto) endServe(s *serve, ns int64, result string) {
	d := float64(ns-s.slice.ns) / 1000
	s.slice.Dur = &d
	if result != "" {
		s.slice.Args["result"] = result
	}
	s.lane.open = false
	s.lane.freeNs = max(s.lane.freeNs, ns)
	p.out = append(p.out, s.slice)
}

// reply ends the client's request slice, and its call's flow in the
// replying task's running slice; failed says why the call failed
// instead ("" for a reply): an instant, and no flow.
func (p *perfetto) reply(e *kernel.Event, ts float64, client ipc.Endpoint, failed string) {
	if s := p.serving[client]; s != nil {
		delete(p.serving, client)
		result := failed
		if e.Errno != 0 {
			result = strings.TrimSpace(p.c.Line(e))
		}
		p.endServe(s, e.T, result)
	}
	if failed != "" {
		p.out = append(p.out, traceEvent{Name: e.Kind.String() + " " + p.c.party(e.Task), Cat: "fault", Ph: "i", Ts: ts,
			Pid: cpuPid + e.CPU, S: "g", Args: map[string]any{"event": failed}})
	}
	start := p.calls[client]
	delete(p.calls, client)
	pid := p.cpu(e.CPU)
	if start == nil || failed != "" || !p.runs(e.CPU, pid, e.Task) {
		return
	}
	p.out = append(p.out, *start, traceEvent{Name: "call", Cat: "ipc", Ph: "f", Bp: "e", Ts: ts, Pid: pid,
		Tid: p.tid(pid, e.Task), ID: start.ID})
}

// finish closes what is still open at the trace's last time, in a fixed
// order, and sorts the events by time.
func (p *perfetto) finish() {
	for cpu := range maxKey(p.running) + 1 {
		p.end(cpu, p.lastNs)
	}
	var open []*serve
	for _, s := range p.serving {
		open = append(open, s)
	}
	slices.SortFunc(open, func(a, b *serve) int {
		return cmp.Or(cmp.Compare(a.slice.Ts, b.slice.Ts), cmp.Compare(a.slice.Tid, b.slice.Tid))
	})
	for _, s := range open {
		p.endServe(s, p.lastNs, "unanswered at the end of the trace")
	}
	slices.SortStableFunc(p.out, func(a, b traceEvent) int { return cmp.Compare(a.Ts, b.Ts) })
}

// cpu returns the process of a CPU, named on first use.
func (p *perfetto) cpu(n int) int {
	pid := cpuPid + n
	if _, ok := p.procs[pid]; !ok {
		p.procs[pid] = "cpu" + strconv.Itoa(n)
	}
	return pid
}

// service returns the process of a service, named on first use; ids
// follow the order services are met.
func (p *perfetto) service(name string) int {
	if pid, ok := p.svcPids[name]; ok {
		return pid
	}
	pid := svcPid + len(p.svcPids)
	p.svcPids[name] = pid
	p.procs[pid] = "svc " + name
	return pid
}

// tid returns the thread of task ep in process pid, named on first use.
func (p *perfetto) tid(pid int, ep ipc.Endpoint) int { return p.named(pid, int(ep), p.c.party(ep)) }

// named returns the thread key in process pid, numbered and named on
// first use; thread ids are unique across processes.
func (p *perfetto) named(pid, key int, name string) int {
	k := [2]int{pid, key}
	if t, ok := p.tids[k]; ok {
		return t
	}
	t := len(p.tids) + 1
	p.tids[k] = t
	p.threads = append(p.threads, traceEvent{Name: "thread_name", Ph: "M", Pid: pid, Tid: t,
		Args: map[string]any{"name": name}})
	return t
}

// meta is the process and thread names, processes in pid order.
func (p *perfetto) meta() []traceEvent {
	var out []traceEvent
	for pid := range maxKey(p.procs) + 1 {
		if n, ok := p.procs[pid]; ok {
			out = append(out, traceEvent{Name: "process_name", Ph: "M", Pid: pid, Args: map[string]any{"name": n}},
				traceEvent{Name: "process_sort_index", Ph: "M", Pid: pid, Args: map[string]any{"sort_index": pid}})
		}
	}
	return append(out, p.threads...)
}

// maxKey is the largest key of m, -1 when m is empty.
func maxKey[V any](m map[int]V) int {
	k := -1
	for n := range m {
		k = max(k, n)
	}
	return k
}
