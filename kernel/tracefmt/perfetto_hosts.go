package tracefmt

import (
	"slices"
	"strconv"

	"github.com/mkos/mkos/kernel"
)

// A trace of several machines (each event's Host set) is rendered one
// machine at a time — each kernel numbers its own tasks and services, so
// a chart of them all would mix their names — and the machines are put
// side by side: machine K's process, thread and flow ids are moved up by
// K×hostStride, and its processes are named "hostK cpu0", "hostK svc fs".

// hostStride separates the ids of two machines.
const hostStride = 1_000_000

// perfettoEvents renders events, machine by machine when they come from
// several.
func perfettoEvents(events []kernel.Event) []traceEvent {
	var hosts []int
	for i := range events {
		if h := events[i].Host; !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	if len(hosts) == 1 && hosts[0] == 0 || len(hosts) == 0 {
		return render(events)
	}
	slices.Sort(hosts)
	var out []traceEvent
	for _, h := range hosts {
		mine := slices.DeleteFunc(slices.Clone(events), func(e kernel.Event) bool { return e.Host != h })
		for _, te := range render(mine) {
			out = append(out, onHost(te, h))
		}
	}
	return out
}

// onHost moves te to machine h's ids and names its process after it.
func onHost(te traceEvent, h int) traceEvent {
	te.Pid += h * hostStride
	if te.Tid != 0 {
		te.Tid += h * hostStride
	}
	if te.ID != "" {
		te.ID = "h" + strconv.Itoa(h) + "." + te.ID
	}
	if te.Name == "process_name" {
		if name, ok := te.Args["name"].(string); ok {
			te.Args = map[string]any{"name": "host" + strconv.Itoa(h) + " " + name}
		}
	}
	if te.Name == "process_sort_index" {
		te.Args = map[string]any{"sort_index": te.Pid}
	}
	return te
}
