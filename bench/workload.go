package bench

import (
	"sort"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nullproto"
)

// Workload is one benchmark: the servers it needs, a setup run once in
// the benchmark task, and one operation, run n times between the
// counters' readings. An operation checks its own results: a benchmark
// that silently did nothing would report wonderful numbers.
type Workload struct {
	Name string
	// Doc says what one operation is, for tables and docs.
	Doc string
	// Needs are the servers the workload calls; the file server brings a
	// disk and its driver.
	Needs []string
	Setup func(e *Env) error
	Op    func(e *Env, i int) error
	// Teardown, when set, runs after the timed operations.
	Teardown func(e *Env) error
	// VirtualOps is the number of operations of a virtual-time run.
	VirtualOps int
	// BytesPerOp, when set, is the data one operation moves: the report
	// shows the workload's throughput from it.
	BytesPerOp int64
}

// Suite is every workload, by name. Adding one is a file and a line here.
// pipe joins it when boot can place the pipe server (registerPipe);
// until then `mkos bench` names it among the Missing.
var Suite = map[string]*Workload{
	"null":      nullWorkload,
	"fileio":    fileioWorkload,
	"seqio":     seqioWorkload,
	"spawn":     spawnWorkload,
	"pagefault": pagefaultWorkload,
	"mixed":     mixedWorkload,
}

// Missing names the workloads of the issue that cannot run yet, with why.
var Missing = map[string]string{
	"pipe": "boot cannot place the pipe server (servers/pipe) yet",
}

// Workloads maps a workload name to the benchmark that runs it in a mode,
// for `go test -bench`.
var Workloads = map[string]func(mode boot.Mode) func(b *testing.B){}

func init() {
	registerPipe()
	registerTCP()
	for name, w := range Suite {
		Workloads[name] = func(mode boot.Mode) func(b *testing.B) { return Bench(w, Setup{Mode: mode}) }
	}
}

// WorkloadNames returns the workload names in sorted order.
func WorkloadNames() []string {
	names := make([]string, 0, len(Suite))
	for n := range Suite {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Bench is w under s as a Go benchmark: host time per operation, with
// virtual ns and the kernel's counts per operation as custom metrics.
func Bench(w *Workload, s Setup) func(b *testing.B) {
	return func(b *testing.B) {
		c, err := measure(w, s, b.N, b)
		if err != nil {
			b.Fatal(err)
		}
		p := c.PerOp()
		b.ReportMetric(float64(c.VirtualNs)/float64(b.N), "virtual-ns/op")
		b.ReportMetric(p.IPCs, "ipcs/op")
		b.ReportMetric(p.Switches, "switches/op")
		if p.PageFaults > 0 {
			b.ReportMetric(p.PageFaults, "faults/op")
		}
		if p.DiskOps > 0 {
			b.ReportMetric(p.DiskSeeks, "seeks/op")
		}
	}
}

// Null is the null system call: one client calls the null service b.N
// times. It reports virtual ns per call as a custom metric.
func Null(mode boot.Mode) func(b *testing.B) { return Bench(nullWorkload, Setup{Mode: mode}) }

// nullState is the null workload's endpoint and reused buffers.
type nullState struct {
	dst      ipc.Endpoint
	req, rep ipc.Message
}

var nullWorkload = &Workload{
	Name:  "null",
	Doc:   "one empty request to the null server",
	Needs: []string{nullproto.Name},
	Setup: func(e *Env) error {
		id, err := e.Sys.Lookup(nullproto.Name)
		if err != nil {
			return err
		}
		st := &nullState{dst: ipc.ServiceEndpoint(id)}
		e.State = st
		return nullproto.Call(e.Sys, st.dst, &st.req, &st.rep) // warm up: the server registers
	},
	Op: func(e *Env, _ int) error {
		st := e.State.(*nullState)
		return nullproto.Call(e.Sys, st.dst, &st.req, &st.rep)
	},
	VirtualOps: 1000,
}
