package tracefmt

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

// The message sequence chart: one line per event, in columns — virtual
// time, CPU, from, arrow, to, what. `->` is a message, `=>` a context
// switch, `-x` a refused send; a task is name(slot.generation). In a
// trace of several machines each line starts with its machine, hostK.
// LECTURE: reading-a-trace

// Options selects the events a chart shows.
type Options struct {
	Kinds  map[kernel.Kind]bool // nil: every kind
	FromNs int64                // skip events before this virtual time
	Limit  int                  // 0: no limit
}

// ParseOptions reads chart options written as words: kinds=a,b,c,
// from=DURATION, limit=N. Limit defaults to def.
func ParseOptions(args []string, def int) (Options, error) {
	opts := Options{Limit: def}
	for _, a := range args {
		key, val, ok := strings.Cut(a, "=")
		switch {
		case ok && key == "kinds":
			ks, err := ParseKinds(val)
			if err != nil {
				return opts, err
			}
			opts.Kinds = ks
		case ok && key == "from":
			d, err := time.ParseDuration(val)
			if err != nil {
				return opts, fmt.Errorf("from: %w", err)
			}
			opts.FromNs = int64(d)
		case ok && key == "limit":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return opts, fmt.Errorf("limit: %q is not a count", val)
			}
			opts.Limit = n
		default:
			return opts, fmt.Errorf("unexpected argument %q (want kinds=…, from=… or limit=N)", a)
		}
	}
	return opts, nil
}

// ParseKinds reads a comma-separated list of event kinds.
func ParseKinds(list string) (map[kernel.Kind]bool, error) {
	byName := KindsByName()
	ks := map[kernel.Kind]bool{}
	for _, n := range strings.Split(list, ",") {
		k, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("kinds: unknown kind %q", n)
		}
		ks[k] = true
	}
	return ks, nil
}

// Chart renders events as a message sequence chart. It learns task names
// from spawn events, service names from register events, and each CPU's
// loaded context from switch events, as it goes.
type Chart struct {
	tasks    map[ipc.Endpoint]string
	services map[ipc.Endpoint]string
	taskSvc  map[ipc.Endpoint]string // an instance task → the service it serves
	inKernel map[ipc.Endpoint]bool
	loaded   map[int]ipc.Endpoint // cpu → the task whose context it holds
}

// NewChart returns an empty chart.
func NewChart() *Chart {
	return &Chart{tasks: map[ipc.Endpoint]string{}, services: map[ipc.Endpoint]string{},
		taskSvc: map[ipc.Endpoint]string{}, inKernel: map[ipc.Endpoint]bool{}, loaded: map[int]ipc.Endpoint{}}
}

// Prepare learns the services' names from every register event of
// events: a service keeps its id for the whole run, and a call may reach
// it before its first instance registers (a request held by the bus).
func (c *Chart) Prepare(events []kernel.Event) {
	for i := range events {
		if events[i].Kind == kernel.EvRegister {
			c.learn(&events[i])
		}
	}
}

// Write prints the selected events, at most opts.Limit of them, and a line
// counting the selected events left out.
func (c *Chart) Write(w io.Writer, events []kernel.Event, opts Options) {
	c.Prepare(events)
	shown, more := 0, 0
	for i := range events {
		e := &events[i]
		c.learn(e)
		selected := (opts.Kinds == nil || opts.Kinds[e.Kind]) && e.T >= opts.FromNs
		switch {
		case selected && opts.Limit > 0 && shown == opts.Limit:
			more++
		case selected:
			fmt.Fprintln(w, c.Line(e))
			shown++
		}
		if e.Kind == kernel.EvSwitch {
			c.loaded[e.CPU] = e.Peer
		}
	}
	if more > 0 {
		fmt.Fprintf(w, "… %d more\n", more)
	}
}

// learn records names an event introduces.
func (c *Chart) learn(e *kernel.Event) {
	switch e.Kind {
	case kernel.EvSpawn:
		c.tasks[e.Task] = e.Name
	case kernel.EvRegister:
		if e.Peer.IsService() {
			c.services[e.Peer] = e.Svc
			c.inKernel[e.Peer] = e.Detail == "in kernel"
		}
		if e.Task != ipc.KernelEndpoint {
			c.taskSvc[e.Task] = e.Svc
		}
	}
}

// Line renders one event.
func (c *Chart) Line(e *kernel.Event) string {
	from, arrow, to, what := c.party(e.Task), "", "", e.Kind.String()
	cpu := ""
	switch e.Kind {
	case kernel.EvSend, kernel.EvCall:
		arrow, to, what = "->", c.party(e.Peer), e.Kind.String()+" "+c.MessageName(e)
		if c.inKernel[e.Peer] {
			what += " (in-kernel call)"
		}
	case kernel.EvReceive:
		arrow, to, what = "->", c.party(e.Peer), "receive "+c.MessageName(e)
	case kernel.EvReply:
		arrow, to, what = "->", c.party(e.Peer), "reply "+c.MessageName(e)
		if e.Errno != 0 {
			what += " errno=" + linux.ErrnoName(ipc.Errno(e.Errno))
		}
	case kernel.EvNotify:
		from, arrow, to, what = "kernel", "->", c.party(e.Peer), fmt.Sprintf("notify bits=%#x", e.Word)
	case kernel.EvSwitch:
		arrow, to = "=>", c.party(e.Peer)
		from = c.switchedFrom(e)
	case kernel.EvDeadlock:
		arrow, to, what = "-x", c.party(e.Peer), "deadlock: send refused"
	case kernel.EvRegister, kernel.EvRestart:
		what += " svc:" + e.Svc
		if e.Detail != "" {
			what += " (" + e.Detail + ")"
		}
	case kernel.EvUpdate:
		arrow, to, what = "->", "svc:"+e.Svc, "update "+e.Detail
	case kernel.EvFault, kernel.EvDeath:
		what += ": " + e.Detail
	case kernel.EvPanic:
		arrow, to, what = "->", "svc:"+e.Svc, "KERNEL PANIC: "+e.Detail
	case kernel.EvFail:
		what = "call fails: " + linux.ErrnoName(ipc.Errno(e.Errno)) + " (" + e.Detail + ")"
	case kernel.EvInterrupt:
		from, arrow, to, what = e.Name, "->", "svc:"+e.Svc, "interrupt"
	case kernel.EvPageFault:
		what = fmt.Sprintf("page fault at %#x (%s)", e.Word, e.Detail)
	case kernel.EvInject:
		what = "injected " + e.Detail + " serving svc:" + e.Svc
	case kernel.EvPublish:
		arrow, to, what = "->>", "topic:"+e.Svc, fmt.Sprintf("publish type=%d to %s", e.Type, e.Detail)
	case kernel.EvStream:
		arrow, to, what = "~>", c.party(e.Peer), fmt.Sprintf("stream %d.%d: %s", uint32(e.Word), e.Word>>32, e.Detail)
	}
	switch e.Kind {
	case kernel.EvSend, kernel.EvCall, kernel.EvReceive, kernel.EvReply, kernel.EvSwitch, kernel.EvTick:
		cpu = "cpu" + strconv.Itoa(e.CPU)
	}
	l := fmt.Sprintf("%8d.%03dµs %-4s %-17s %-2s %-17s %s", e.T/1000, e.T%1000, cpu, from, arrow, to, what)
	if e.Host != 0 {
		l = "host" + strconv.Itoa(e.Host) + " " + l // a trace of several machines
	}
	return strings.TrimRight(l, " ")
}

// switchedFrom names the context a switch replaces: the task the kernel
// names, or else the one the CPU last switched to, or idle at boot.
func (c *Chart) switchedFrom(e *kernel.Event) string {
	if e.Task != ipc.KernelEndpoint {
		return c.party(e.Task)
	}
	if ep, ok := c.loaded[e.CPU]; ok {
		return c.party(ep)
	}
	return "idle"
}

// party names an endpoint: a task by name and slot.generation, a service
// by name.
func (c *Chart) party(ep ipc.Endpoint) string {
	switch {
	case ep == ipc.KernelEndpoint:
		return "kernel"
	case ep.IsService():
		if n, ok := c.services[ep]; ok {
			return "svc:" + n
		}
	default:
		if n, ok := c.tasks[ep]; ok {
			return n + "(" + ep.String() + ")"
		}
	}
	return ep.String()
}

// MessageName names the message of a send, call, receive or reply event
// by the service that serves it and its protocol's name for the type
// (ipc.TypeName): "fs.open", "ping".
func (c *Chart) MessageName(e *kernel.Event) string {
	var svc string
	switch e.Kind {
	case kernel.EvReceive:
		svc = e.Svc
		if svc == "" {
			svc = c.serviceOf(e.Peer)
		}
	case kernel.EvReply:
		svc = c.serviceOf(e.Task)
	default:
		svc = c.serviceOf(e.Peer)
	}
	return ipc.TypeName(svc, ipc.Type(e.Type))
}

// serviceOf names the service an endpoint is, or the one a task serves;
// "" for neither.
func (c *Chart) serviceOf(ep ipc.Endpoint) string {
	if ep.IsService() {
		return c.services[ep]
	}
	return c.taskSvc[ep]
}
