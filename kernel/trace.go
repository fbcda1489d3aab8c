package kernel

import (
	"bufio"
	"io"
	"strconv"

	"github.com/mkos/mkos/ipc"
)

// Kind is the kind of a trace event.
type Kind uint8

// The trace event kinds.
const (
	EvSend      Kind = iota + 1 // a task sends or calls (Task → Peer)
	EvReceive                   // a message is delivered (Peer receives from Task)
	EvReply                     // a reply is delivered (Task replies to Peer)
	EvNotify                    // notification bits Word posted to Peer
	EvSwitch                    // CPU switches from Task to Peer; Word: tasks left in its run queue
	EvTick                      // clock interrupt while Task runs
	EvTimeout                   // Task's call timed out
	EvDeadlock                  // Task's send to Peer refused: a cycle
	EvSpawn                     // Task created
	EvRegister                  // Task registered as an instance of Svc
	EvRestart                   // Svc has an instance again after a death
	EvFault                     // Task faulted (a panic in its body)
	EvDeath                     // Task died; Detail says how
	EvPanic                     // kernel panic in in-kernel server Svc
	EvCall                      // a task calls (Task → Peer): send, then await the reply
	EvFail                      // Task's blocked call failed with Errno
	EvInterrupt                 // device Name interrupts the driver of Svc
	EvPageFault                 // Task's access at address Word faulted; Detail says how
	EvInject                    // an injected fault (Detail) hits Task, serving Svc
	EvDeny                      // Task's privileged call refused (EPERM); Detail says which
	// EvControl is a live view's control (Detail, e.g. "crash fs") taken
	// at safe point Word (observe.go). The kernel never emits it: package
	// live writes it, so a trace replays the clicks that shaped it.
	EvControl
	// EvUpdate is a step of a live update of Svc that Task (rs) took:
	// Detail is "hold", or "commit OLD → NEW" or "abort OLD → NEW" with
	// the instances' endpoints (update.go).
	EvUpdate
	// EvPublish: Task published a message of Type on topic Svc; Detail
	// says to how many subscribers (pubsub.go).
	EvPublish
	// EvStream: a step of stream Word (Detail: open, accept, grant N,
	// frame, end, error E, cancel) between client and server, Task the
	// side that took it and Peer the other (stream.go).
	EvStream
)

// LastKind is the highest Kind, for tables and tests.
const LastKind = EvStream

var kindNames = [...]string{"", "send", "receive", "reply", "notify", "switch", "tick", "timeout",
	"deadlock", "spawn", "register", "restart", "fault", "death", "panic", "call", "fail", "interrupt", "pagefault", "inject", "deny", "control", "update", "publish", "stream"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind" + strconv.Itoa(int(k))
}

// Event is one trace record. Fields that do not apply are zero.
type Event struct {
	T int64 // virtual time, ns
	// Host is the machine (from 1) whose kernel emitted the event, in a
	// trace of several machines (boot's Cluster stamps it); 0, and absent
	// from the JSON, on one machine.
	Host   int
	CPU    int
	Kind   Kind
	Task   ipc.Endpoint
	Peer   ipc.Endpoint
	Name   string
	Svc    string
	Type   uint16
	Errno  uint16
	Word   uint64
	Detail string
}

// Tracer receives trace events in the order they happen.
type Tracer interface {
	Event(e *Event)
}

// emit passes e to the tracer, if there is one.
func (k *Kernel) emit(e Event) {
	if k.trace != nil {
		k.trace.Event(&e)
	}
}

func endpointOf(t *Task) ipc.Endpoint {
	if t == nil {
		return ipc.KernelEndpoint
	}
	return t.ep
}

func svcName(s *service) string {
	if s == nil {
		return ""
	}
	return s.name
}

// AppendJSON appends e as one JSON object (no newline). The field order is
// fixed, so equal events give equal bytes.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"t":`...)
	b = strconv.AppendInt(b, e.T, 10)
	if e.Host != 0 {
		b = append(b, `,"host":`...)
		b = strconv.AppendInt(b, int64(e.Host), 10)
	}
	b = append(b, `,"cpu":`...)
	b = strconv.AppendInt(b, int64(e.CPU), 10)
	b = append(b, `,"ev":"`...)
	b = append(b, e.Kind.String()...)
	b = append(b, '"')
	if e.Task != 0 {
		b = append(b, `,"task":"`...)
		b = append(b, e.Task.String()...)
		b = append(b, '"')
	}
	if e.Peer != 0 {
		b = append(b, `,"peer":"`...)
		b = append(b, e.Peer.String()...)
		b = append(b, '"')
	}
	b = appendStr(b, "name", e.Name)
	b = appendStr(b, "svc", e.Svc)
	if e.Type != 0 {
		b = append(b, `,"type":`...)
		b = strconv.AppendUint(b, uint64(e.Type), 10)
	}
	if e.Errno != 0 {
		b = append(b, `,"errno":`...)
		b = strconv.AppendUint(b, uint64(e.Errno), 10)
	}
	if e.Word != 0 {
		b = append(b, `,"word":`...)
		b = strconv.AppendUint(b, e.Word, 10)
	}
	b = appendStr(b, "detail", e.Detail)
	return append(b, '}')
}

func appendStr(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, key...)
	b = append(b, `":`...)
	return strconv.AppendQuote(b, v)
}

// JSONTracer writes each event as one line of JSON (JSON Lines).
type JSONTracer struct {
	w   *bufio.Writer
	buf []byte
	err error
}

// NewJSONTracer returns a tracer writing to w. Call Flush at the end.
func NewJSONTracer(w io.Writer) *JSONTracer {
	return &JSONTracer{w: bufio.NewWriterSize(w, 64<<10)}
}

// Event writes e.
func (j *JSONTracer) Event(e *Event) {
	j.buf = append(e.AppendJSON(j.buf[:0]), '\n')
	if _, err := j.w.Write(j.buf); err != nil && j.err == nil {
		j.err = err
	}
}

// Flush writes out buffered events and returns the first write error.
func (j *JSONTracer) Flush() error {
	if err := j.w.Flush(); err != nil && j.err == nil {
		j.err = err
	}
	return j.err
}

// Recorder keeps events in memory, for tests.
type Recorder struct{ Events []Event }

// Event records e.
func (r *Recorder) Event(e *Event) { r.Events = append(r.Events, *e) }
