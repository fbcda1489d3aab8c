package workload

import "github.com/mkos/mkos/ipc"

// The Mars Pathfinder story, as a workload that shows priority inversion
// over IPC (mkos run --workload pathfinder, with and without --no-pi).
// A low-priority task holds the "bus" server with a long request; a
// medium-priority CPU hog wakes; then the high-priority task needs the
// bus. Without priority inheritance the bus serves low's request at low's
// priority, so the hog runs while high waits for the bus, which waits for
// the hog. With it, the bus runs at high's priority while high waits, and
// high is served right after low's request.

// BusService is the service the pathfinder tasks call.
const BusService = "bus"

// Priorities of the pathfinder tasks (0 is the highest).
const (
	PrioHigh   = 0
	PrioMedium = 3
	PrioLow    = 5
)

// Pathfinder configures the story; zero fields take the defaults.
type Pathfinder struct {
	BusNs   int64 // CPU one bus request holds the bus for (5ms)
	HogNs   int64 // CPU the medium task burns (50ms)
	HogAtNs int64 // when the hog wakes (1ms)
	HighNs  int64 // when the high task needs the bus (2ms)
}

// PathfinderTally is what the story's tasks saw.
type PathfinderTally struct {
	HighWaitNs int64    // how long high waited for its bus request
	Order      []string // the tasks in the order they finished
	Errors     int      // bus calls that failed
}

func (p Pathfinder) withDefaults() Pathfinder {
	const ms = 1_000_000
	def := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&p.BusNs, 5*ms)
	def(&p.HogNs, 50*ms)
	def(&p.HogAtNs, 1*ms)
	def(&p.HighNs, 2*ms)
	return p
}

// Bus is the bus server: every request holds it for BusNs of CPU.
func (p Pathfinder) Bus() ipc.Server { return bus{p.withDefaults().BusNs} }

type bus struct{ ns int64 }

func (b bus) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	ctx.Sys.Compute(b.ns)
	return ipc.Reply(req)
}

// Tasks returns the low, medium and high tasks, by name with their
// priorities and bodies; they record into t.
func (p Pathfinder) Tasks(t *PathfinderTally) []ipc.TaskSpec {
	p = p.withDefaults()
	call := func(sys ipc.Sys) {
		id, err := sys.Lookup(BusService)
		var req, rep ipc.Message
		if err != nil || sys.Call(ipc.ServiceEndpoint(id), &req, &rep) != nil {
			t.Errors++
		}
	}
	return []ipc.TaskSpec{
		{Name: "low", Prio: PrioLow, Body: func(sys ipc.Sys) {
			call(sys)
			t.Order = append(t.Order, "low")
		}},
		{Name: "medium", Prio: PrioMedium, Body: func(sys ipc.Sys) {
			sys.Sleep(p.HogAtNs)
			sys.Compute(p.HogNs)
			t.Order = append(t.Order, "medium")
		}},
		{Name: "high", Prio: PrioHigh, Body: func(sys ipc.Sys) {
			sys.Sleep(p.HighNs)
			t0 := sys.Now()
			call(sys)
			t.HighWaitNs = sys.Now() - t0
			t.Order = append(t.Order, "high")
		}},
	}
}
