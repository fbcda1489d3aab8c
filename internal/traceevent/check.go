package traceevent

import (
	"encoding/json"
	"fmt"
	"sort"
)

// eps is half a nanosecond in the format's microseconds: times are whole
// nanoseconds, and a slice's end is its start plus its duration in
// floating point.
const eps = 0.0005

// Check checks a document against the Trace Event Format
// as Perfetto's JSON importer reads it (src/trace_processor/importers/json):
// field names and types per phase, flows that bind (a flow's start and
// its end inside a slice of their thread, "bp":"e" on the end), slices
// that nest on each thread, counters with numeric args. It returns the
// problems found.
func Check(doc []byte) []string {
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
			if s.from-eps <= f.ts && f.ts <= s.to+eps {
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
			if ss[k].from < ss[k-1].to-eps && ss[k].to > ss[k-1].to+eps {
				bad = append(bad, fmt.Sprintf("thread %v: slices %v and %v overlap without nesting", thread, ss[k-1], ss[k]))
			}
		}
	}
	sort.Strings(bad)
	return bad
}
