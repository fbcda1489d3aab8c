package live

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Snapshot is the system as it was at one safe point. It is built by the
// engine and never changed afterwards: views may keep and share it.
type Snapshot struct {
	NowNs      int64        `json:"now_ns"`
	SafePoint  uint64       `json:"safe_point"`
	Paused     bool         `json:"paused"`
	Speed      float64      `json:"speed"` // virtual s per wall s; 0: as fast as possible
	Ended      bool         `json:"ended"`
	CPUs       []CPU        `json:"cpus"`
	Tasks      []Task       `json:"tasks"`
	Services   []Service    `json:"services"`
	IPC        []IPCEvent   `json:"ipc"`
	Log        []LogEntry   `json:"log"`
	Stats      kernel.Stats `json:"stats"`
	WindowNs   int64        `json:"window_ns"`
	Controlled []string     `json:"controls"` // the controls taken so far, in order
	// Topics are the bus's publish/subscribe topics with subscribers.
	Topics []Topic `json:"topics,omitempty"`
}

// Topic is one publish/subscribe topic on the bus.
type Topic struct {
	Name        string `json:"name"`
	Subscribers int    `json:"subscribers"`
	Queued      int    `json:"queued"`
	Dropped     int64  `json:"dropped"`
}

// CPU is one virtual CPU: its current task and its run queue, by name.
type CPU struct {
	ID    int      `json:"id"`
	NowNs int64    `json:"now_ns"`
	Busy  float64  `json:"busy"` // share of its time spent computing
	Cur   string   `json:"cur"`  // "" when idle
	Queue []string `json:"queue"`
}

// Task is one live task.
type Task struct {
	Endpoint string   `json:"ep"`
	Slot     uint32   `json:"slot"`
	Name     string   `json:"name"`
	State    string   `json:"state"`
	WaitsOn  string   `json:"waits_on,omitempty"`
	Prio     int      `json:"prio"`
	RanNs    int64    `json:"ran_ns"`
	CPU      int      `json:"cpu"`
	Pinned   bool     `json:"pinned,omitempty"`
	Services []string `json:"services,omitempty"`
}

// Service is one service on the bus.
type Service struct {
	Name      string   `json:"name"`
	Placement string   `json:"placement"` // "kernel", or "user" for its own tasks
	Instances []string `json:"instances"`
	// State is up (an instance serves), hung (every instance is hung),
	// restarting (it had an instance and has none: rs brings one back) or
	// down (never had one).
	State    string  `json:"state"`
	Requests int64   `json:"requests"` // over the whole run
	PerSec   float64 `json:"per_sec"`  // over the window
	Errors   int64   `json:"errors"`   // over the window
	P50Ns    int64   `json:"p50_ns"`   // over the window, to the power of two above
	P99Ns    int64   `json:"p99_ns"`
	Restarts int64   `json:"restarts"` // over the whole run
	InFlight int64   `json:"in_flight"`
}

// build reads the kernel at this safe point.
func (m *Model) build() *Snapshot {
	k := m.k
	s := &Snapshot{NowNs: k.Now(), SafePoint: m.safe, Paused: m.paused, Speed: m.speed, Ended: m.ended,
		Stats: k.Stats(), WindowNs: k.BusWindowNs(), IPC: m.ipc.list(), Log: m.log.list()}
	tasks := k.TaskViews()
	hung := map[ipc.Endpoint]bool{}
	for _, t := range tasks {
		s.Tasks = append(s.Tasks, m.task(t))
		if t.State == "hung" {
			hung[t.Endpoint] = true
		}
	}
	for _, c := range k.CPUViews() {
		s.CPUs = append(s.CPUs, m.cpu(c))
	}
	for _, si := range k.Services() {
		s.Services = append(s.Services, m.service(si, s.NowNs, hung))
	}
	for _, c := range m.taken {
		s.Controlled = append(s.Controlled, c.String())
	}
	for _, tp := range k.Topics() {
		s.Topics = append(s.Topics, Topic{Name: tp.Name, Subscribers: tp.Subscribers, Queued: tp.Queued, Dropped: tp.Dropped})
	}
	return s
}

func (m *Model) task(t kernel.TaskView) Task {
	v := Task{Endpoint: t.Endpoint.String(), Slot: t.Endpoint.Slot(), Name: t.Name, State: t.State, Prio: t.Prio,
		RanNs: t.RanNs, CPU: t.CPU, Pinned: t.Pinned, Services: t.Services}
	if t.WaitsOn != 0 {
		v.WaitsOn = m.name(t.WaitsOn)
	}
	return v
}

func (m *Model) cpu(c kernel.CPUView) CPU {
	v := CPU{ID: c.ID, NowNs: c.NowNs}
	if c.NowNs > 0 {
		v.Busy = float64(c.BusyNs) / float64(c.NowNs)
	}
	if c.Cur != 0 {
		v.Cur = c.CurName
	}
	for _, ep := range c.Queue {
		v.Queue = append(v.Queue, m.name(ep))
	}
	return v
}

func (m *Model) service(si kernel.ServiceInfo, now int64, hung map[ipc.Endpoint]bool) Service {
	v := Service{Name: si.Name, Placement: "user", Requests: si.Stats.Requests, Restarts: si.Stats.Restarts,
		InFlight: si.Stats.InFlight}
	if si.InKernel {
		v.Placement = "kernel"
	}
	allHung := len(si.Instances) > 0
	for _, ep := range si.Instances {
		v.Instances = append(v.Instances, m.name(ep)+" "+ep.String())
		allHung = allHung && hung[ep]
	}
	up := si.InKernel || len(si.Instances) > 0
	switch {
	case allHung:
		v.State = "hung"
	case up:
		v.State = "up"
		m.everUp[si.Name] = true
	case m.everUp[si.Name]:
		v.State = "restarting"
	default:
		v.State = "down"
	}
	bm := &si.Metrics // the bus's own numbers, as svc stats shows them
	v.PerSec, v.Errors, v.P50Ns, v.P99Ns = bm.PerSec(), bm.Failed, bm.P50Ns, bm.P99Ns
	return v
}
