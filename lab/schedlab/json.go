package schedlab

import (
	"encoding/json"
	"io"
)

// jsonResult is the lab's machine-readable result (mkos sched --json).
// Times are in OSTEP units; the schedule is per kernel tick.
type jsonResult struct {
	Tool         string      `json:"tool"`
	Policy       string      `json:"policy"`
	Kernel       jsonKernel  `json:"kernel"`
	Jobs         []jsonJob   `json:"jobs"`
	Average      jsonTimes   `json:"average"`
	Slices       []jsonSlice `json:"slices"`
	TicksPerUnit int         `json:"ticks_per_unit"`
	// Schedule is the job that ran each tick, -1 when none did.
	Schedule []int `json:"schedule"`
	// Priority is the mlfq queue of each tick's job, numbered as mlfq.py
	// numbers them (the highest is queues-1), -1 when idle.
	Priority []int `json:"priority,omitempty"`
	// Draws are the lottery policy's draws in the kernel, in order.
	Draws []lotteryDraw `json:"draws,omitempty"`
}

// jsonKernel says how the kernel was set up.
type jsonKernel struct {
	Policy  string `json:"policy"`
	HZ      int    `json:"hz"`
	Profile string `json:"profile"`
	CPUs    int    `json:"cpus"`
}

type jsonTimes struct {
	Response   float64 `json:"response"`
	Turnaround float64 `json:"turnaround"`
	Wait       float64 `json:"wait"`
}

type jsonJob struct {
	Job      int     `json:"job"`
	Start    float64 `json:"start"`
	Length   float64 `json:"length"`
	Tickets  int     `json:"tickets,omitempty"`
	IOFreq   int     `json:"io_freq,omitempty"`
	FirstRun float64 `json:"first_run"`
	Finish   float64 `json:"finish"`
	CPU      float64 `json:"cpu"`
	IO       float64 `json:"io"`
	jsonTimes
}

type jsonSlice struct {
	Job   int     `json:"job"`
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

// WriteJSON runs the workload if it has not run yet and writes the
// result as JSON: each job's times, their averages, the slices and the
// per-tick schedule.
func (l *Lab) WriteJSON(w io.Writer) error {
	if err := l.StandIn(); err != nil {
		return err
	}
	res, err := l.Run()
	if err != nil {
		return err
	}
	units := func(ticks int64) float64 { return float64(ticks) / float64(res.TicksPerUnit) }
	out := jsonResult{Tool: l.tool.name(), Policy: l.tool.policy(), TicksPerUnit: res.TicksPerUnit,
		Kernel:   jsonKernel{Policy: l.work.Policy, HZ: hzPerTickPerUnit * res.TicksPerUnit, Profile: "ideal", CPUs: 1},
		Schedule: res.PerTick, Slices: []jsonSlice{}}
	for i, j := range l.work.Jobs {
		t := res.Jobs[i]
		times := jsonTimes{units(t.Response()), units(t.Turnaround()), units(t.Wait())}
		out.Jobs = append(out.Jobs, jsonJob{Job: i, Start: float64(j.Start), Length: j.Length, Tickets: j.Tickets,
			IOFreq: j.IOFreq, FirstRun: units(t.FirstRun), Finish: units(t.Finish), CPU: units(t.CPU), IO: units(t.IO), jsonTimes: times})
		out.Average.Response += times.Response / float64(len(l.work.Jobs))
		out.Average.Turnaround += times.Turnaround / float64(len(l.work.Jobs))
		out.Average.Wait += times.Wait / float64(len(l.work.Jobs))
	}
	for _, s := range res.Slices {
		out.Slices = append(out.Slices, jsonSlice{s.Job, units(s.Start), units(s.End)})
	}
	switch t := l.tool.(type) {
	case *mlfqTool:
		for i, s := range res.States {
			out.Priority = append(out.Priority, -1)
			if s.Job >= 0 {
				out.Priority[i] = len(t.quant) - 1 - s.Level
			}
		}
	case *lotteryTool:
		out.Draws = t.draws.draws
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
