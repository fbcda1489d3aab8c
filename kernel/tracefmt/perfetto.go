package tracefmt

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/mkos/mkos/kernel"
)

// The Chrome trace-event format (docs: "Trace Event Format", used by
// chrome://tracing and ui.perfetto.dev): one "process" for the machine,
// one "thread" track per virtual CPU with a slice for each stretch a task
// runs, and instant events for messages, faults, deaths and restarts.

// traceEvent is one record of the Chrome trace-event format. Timestamps are
// in microseconds.
type traceEvent struct {
	Name string            `json:"name"`
	Ph   string            `json:"ph"`
	Ts   float64           `json:"ts"`
	Dur  float64           `json:"dur,omitempty"`
	Pid  int               `json:"pid"`
	Tid  int               `json:"tid"`
	S    string            `json:"s,omitempty"`
	Args map[string]string `json:"args,omitempty"`
}

// WritePerfetto writes events as a Chrome/Perfetto trace-event JSON object.
func WritePerfetto(w io.Writer, events []kernel.Event) error {
	c := NewChart()
	var out []traceEvent
	cpus := map[int]bool{}
	maxCPU := 0
	running := map[int]*traceEvent{} // cpu → the slice in progress
	end := func(cpu int, ts float64) {
		if s := running[cpu]; s != nil {
			s.Dur = ts - s.Ts
			out = append(out, *s)
			delete(running, cpu)
		}
	}
	var last float64
	for i := range events {
		e := &events[i]
		c.learn(e)
		ts := float64(e.T) / 1000
		last = max(last, ts)
		switch e.Kind {
		case kernel.EvSwitch:
			cpus[e.CPU] = true
			maxCPU = max(maxCPU, e.CPU)
			end(e.CPU, ts)
			running[e.CPU] = &traceEvent{Name: c.party(e.Peer), Ph: "X", Ts: ts, Pid: 1, Tid: e.CPU}
		case kernel.EvTick:
			cpus[e.CPU] = true
		default:
			out = append(out, traceEvent{Name: e.Kind.String(), Ph: "i", Ts: ts, Pid: 1, Tid: e.CPU, S: "t",
				Args: map[string]string{"event": c.Line(e)}})
		}
	}
	for cpu := range maxCPU + 1 {
		end(cpu, last)
	}
	meta := []traceEvent{{Name: "process_name", Ph: "M", Pid: 1, Args: map[string]string{"name": "mkos"}}}
	for cpu := range maxCPU + 1 {
		if cpus[cpu] {
			meta = append(meta, traceEvent{Name: "thread_name", Ph: "M", Pid: 1, Tid: cpu,
				Args: map[string]string{"name": "cpu" + strconv.Itoa(cpu)}})
		}
	}
	return json.NewEncoder(w).Encode(struct {
		TraceEvents     []traceEvent `json:"traceEvents"`
		DisplayTimeUnit string       `json:"displayTimeUnit"`
	}{append(meta, out...), "ns"})
}
