package tracefmt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// checkTraceEventFormat checks a document against the Trace Event Format
// as Perfetto's JSON importer reads it (src/trace_processor/importers/json):
// field names and types per phase, flows that bind (a flow's start and
// its end inside a slice of their thread, "bp":"e" on the end), slices
// that nest on each thread, counters with numeric args. It returns the
// problems found.
func checkTraceEventFormat(doc []byte) []string {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return []string{"not a JSON object: " + err.Error()}
	}
	var events []map[string]any
	if err := json.Unmarshal(top["traceEvents"], &events); err != nil {
		return []string{"traceEvents is not an array of objects: " + err.Error()}
	}
	var bad []string
	fail := func(i int, format string, args ...any) {
		bad = append(bad, fmt.Sprintf("event %d: ", i)+fmt.Sprintf(format, args...))
	}
	type span struct{ from, to float64 }
	slicesOf := map[[2]float64][]span{}
	type flowEnd struct {
		ts     float64
		thread [2]float64
	}
	starts, ends := map[string]flowEnd{}, map[string]flowEnd{}
	for i, e := range events {
		name, ok := e["name"].(string)
		ph, ok2 := e["ph"].(string)
		if !ok || !ok2 {
			fail(i, "name and ph must be strings: %v", e)
			continue
		}
		pid, okp := e["pid"].(float64)
		tid, okt := e["tid"].(float64)
		if !okp || !okt || pid != float64(uint32(pid)) || tid != float64(uint32(tid)) {
			fail(i, "pid and tid must be unsigned 32-bit integers: %v", e)
		}
		ts, okts := e["ts"].(float64)
		if ph != "M" && (!okts || ts < 0) {
			fail(i, "ts must be a number ≥ 0: %v", e)
		}
		thread := [2]float64{pid, tid}
		switch ph {
		case "M":
			args, _ := e["args"].(map[string]any)
			switch name {
			case "process_name", "thread_name":
				if _, ok := args["name"].(string); !ok {
					fail(i, "%s needs args.name, a string", name)
				}
			case "process_sort_index":
				if _, ok := args["sort_index"].(float64); !ok {
					fail(i, "process_sort_index needs args.sort_index, a number")
				}
			default:
				fail(i, "unknown metadata %q", name)
			}
		case "X":
			dur, ok := e["dur"].(float64)
			if !ok || dur < 0 {
				fail(i, "X needs dur ≥ 0: %v", e)
			}
			slicesOf[thread] = append(slicesOf[thread], span{ts, ts + dur})
		case "C":
			args, ok := e["args"].(map[string]any)
			if !ok || len(args) == 0 {
				fail(i, "C needs args")
			}
			for k, v := range args {
				if _, ok := v.(float64); !ok {
					fail(i, "counter %s: %v is not a number", k, v)
				}
			}
		case "i":
			if s, _ := e["s"].(string); s != "g" && s != "p" && s != "t" {
				fail(i, "instant scope %q is not g, p or t", s)
			}
		case "s", "f":
			id, ok := e["id"].(string)
			if !ok || id == "" || e["cat"] == nil {
				fail(i, "a flow event needs an id and a cat: %v", e)
			}
			if ph == "f" && e["bp"] != "e" {
				fail(i, "a flow end binds to its enclosing slice: bp must be \"e\"")
			}
			m := starts
			if ph == "f" {
				m = ends
			}
			if _, dup := m[id]; dup {
				fail(i, "flow %s: a second %s", id, ph)
			}
			m[id] = flowEnd{ts, thread}
		default:
			fail(i, "phase %q is not one this exporter writes", ph)
		}
	}
	enclosed := func(f flowEnd) bool {
		for _, s := range slicesOf[f.thread] {
			if s.from <= f.ts && f.ts <= s.to {
				return true
			}
		}
		return false
	}
	for id, s := range starts {
		f, ok := ends[id]
		switch {
		case !ok:
			bad = append(bad, "flow "+id+" starts and never ends")
		case f.ts < s.ts:
			bad = append(bad, "flow "+id+" ends before it starts")
		case !enclosed(s) || !enclosed(f):
			bad = append(bad, "flow "+id+" does not bind: an end is in no slice of its thread")
		}
	}
	for id := range ends {
		if _, ok := starts[id]; !ok {
			bad = append(bad, "flow "+id+" ends and never starts")
		}
	}
	for thread, ss := range slicesOf {
		sort.Slice(ss, func(a, b int) bool { return ss[a].from < ss[b].from || ss[a].from == ss[b].from && ss[a].to > ss[b].to })
		for k := 1; k < len(ss); k++ {
			if ss[k].from < ss[k-1].to && ss[k].to > ss[k-1].to {
				bad = append(bad, fmt.Sprintf("thread %v: slices %v and %v overlap without nesting", thread, ss[k-1], ss[k]))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// crashRun records a micro system where a client calls echo three times
// and echo crashes on the second call and is restarted by hand.
func crashRun(t *testing.T) []kernel.Event {
	rec := &kernel.Recorder{}
	k, err := kernel.New(kernel.Config{Trace: rec, CPUs: 2})
	require.NoError(t, err)
	k.Declare("echo")
	calls := 0
	body := func(sys ipc.Sys) {
		ipc.Serve(sys, "echo", handlerFunc(func(req *ipc.Message) ipc.Message {
			calls++
			if calls == 2 {
				panic("echo crashes")
			}
			return ipc.Reply(req)
		}))
	}
	k.Spawn(ipc.TaskSpec{Name: "echo", Body: body})
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		id, _ := sys.Lookup("echo")
		var req, rep ipc.Message
		for range 3 {
			req.Type = 1
			if sys.Call(ipc.ServiceEndpoint(id), &req, &rep) != nil {
				sys.Spawn(ipc.TaskSpec{Name: "echo", Body: body})
			}
		}
	}})
	require.NoError(t, k.Run())
	return rec.Events
}

type handlerFunc func(req *ipc.Message) ipc.Message

func (h handlerFunc) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message { return h(req) }

// The export is valid Trace Event Format, with the tracks, flows, instants
// and counters the layout promises.
func TestPerfettoFormat(t *testing.T) {
	for name, events := range map[string][]kernel.Event{"two calls": mustRecord(t), "a crash": crashRun(t)} {
		var buf bytes.Buffer
		require.NoError(t, WritePerfetto(&buf, events))
		assert.Empty(t, checkTraceEventFormat(buf.Bytes()), "%s: checkTraceEventFormat()", name)
	}
	var buf bytes.Buffer
	require.NoError(t, WritePerfetto(&buf, crashRun(t)))
	var doc struct {
		TraceEvents []struct {
			Name string         `json:"name"`
			Cat  string         `json:"cat"`
			Ph   string         `json:"ph"`
			Pid  int            `json:"pid"`
			Args map[string]any `json:"args"`
		} `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	procs, threads, count := map[string]bool{}, map[string]bool{}, map[string]int{}
	for _, e := range doc.TraceEvents {
		switch {
		case e.Name == "process_name":
			procs[e.Args["name"].(string)] = true
		case e.Name == "thread_name":
			threads[e.Args["name"].(string)] = true
		}
		count[e.Ph+" "+e.Cat]++
		if e.Ph == "i" {
			count["instant "+e.Name]++
		}
	}
	for _, p := range []string{"cpu0", "svc echo"} {
		assert.True(t, procs[p], "a process %q (got %v)", p, procs)
	}
	for _, th := range []string{"client(2.1)", "echo(1.1)"} {
		assert.True(t, threads[th], "a thread track %q (got %v)", th, threads)
	}
	assert.Equal(t, 2, count["s ipc"], "a flow for each answered call")
	assert.Equal(t, 2, count["X serve"]-1, "a slice for each request served, and the one the crash ended")
	assert.Positive(t, count["C "], "run-queue counters")
	assert.Positive(t, count["instant death echo(1.1)"], "the crash is an instant")
	assert.Positive(t, count["instant fail client(2.1)"], "the failed call is an instant")
}

// mustRecord is record without its JSON lines.
func mustRecord(t *testing.T) []kernel.Event {
	events, _ := record(t)
	return events
}

// The format checker catches what Perfetto would not read.
func TestCheckTraceEventFormatCatches(t *testing.T) {
	for _, c := range []struct {
		name, doc, want string
	}{
		{"not an object", `[]`, "not a JSON object"},
		{"string pid", `{"traceEvents":[{"name":"a","ph":"X","ts":1,"dur":1,"pid":"x","tid":1}]}`, "pid and tid"},
		{"no dur", `{"traceEvents":[{"name":"a","ph":"X","ts":1,"pid":1,"tid":1}]}`, "X needs dur"},
		{"unbound flow", `{"traceEvents":[{"name":"c","cat":"ipc","ph":"s","id":"1","ts":1,"pid":1,"tid":1},{"name":"c","cat":"ipc","ph":"f","bp":"e","id":"1","ts":2,"pid":1,"tid":1}]}`, "does not bind"},
		{"dangling flow", `{"traceEvents":[{"name":"c","cat":"ipc","ph":"s","id":"1","ts":1,"pid":1,"tid":1}]}`, "never ends"},
		{"bad nesting", `{"traceEvents":[{"name":"a","ph":"X","ts":1,"dur":5,"pid":1,"tid":1},{"name":"b","ph":"X","ts":3,"dur":5,"pid":1,"tid":1}]}`, "overlap without nesting"},
		{"string counter", `{"traceEvents":[{"name":"q","ph":"C","ts":1,"pid":1,"tid":0,"args":{"n":"x"}}]}`, "is not a number"},
	} {
		got := checkTraceEventFormat([]byte(c.doc))
		require.NotEmpty(t, got, "%s: checkTraceEventFormat() found nothing", c.name)
		assert.Contains(t, got[0], c.want, c.name)
	}
}
