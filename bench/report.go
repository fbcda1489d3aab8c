package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/kernel"
)

// Result is one workload measured in one placement. The first fields are
// the original shape of `mkos bench --json`; the rest extend it.
type Result struct {
	Mode     boot.Mode `json:"mode"`
	Workload string    `json:"workload"`
	// NsPerOp is host ns per operation, the median over the repeats.
	NsPerOp     float64 `json:"ns_per_op"`
	AllocsPerOp int64   `json:"allocs_per_op"`
	// VirtualNsOp is virtual ns per operation under Profile.
	VirtualNsOp   float64 `json:"virtual_ns_per_op"`
	Profile       string  `json:"profile"`
	Iterations    int     `json:"iterations"`
	RatioToCoro   float64 `json:"ratio_to_coroutine"`
	RatioToDirect float64 `json:"ratio_to_direct"`

	// Placement labels the column: micro, mono, hybrid, hybrid+links or
	// a configuration file.
	Placement string `json:"placement"`
	// Links are the direct links in effect (from→to; only links whose
	// caller runs in user space do anything).
	Links []string `json:"links,omitempty"`
	// Host is the host ns per operation over the repeats.
	Host Spread `json:"host_ns_per_op"`
	// ToFlipcall is, for a placement with servers in processes, the host
	// time per operation over a raw flipcall round trip measured right
	// after it, median over the repeats: the two shared cores' load moves
	// both alike, so pairs compare far better than one reference for the
	// whole run.
	ToFlipcall Spread `json:"to_flipcall,omitzero"`
	Repeats    int    `json:"repeats"`
	// Virtual is virtual ns per operation under each cost profile.
	Virtual map[string]float64 `json:"virtual_ns_per_op_by_profile"`
	// PerOp are the kernel's and the disk's counts per operation (from
	// the run under the first profile).
	PerOp PerOp `json:"per_op"`
	// BytesPerOp is the data one operation moves (tcp-bulk), from which
	// the report shows throughput.
	BytesPerOp int64 `json:"bytes_per_op,omitempty"`
}

// Report is a whole `mkos bench` run.
type Report struct {
	Results   []Result  `json:"results"`
	Reference Reference `json:"reference"`
	// Machine is the host the run measured.
	Machine *Machine `json:"machine,omitempty"`
	// Settings are the options that shaped the numbers.
	Settings *Settings `json:"settings,omitempty"`
	// Goals are the project's goals, judged on these numbers.
	Goals []Goal `json:"goals,omitempty"`
	// Missing are workloads that could not run, and why.
	Missing map[string]string `json:"missing_workloads,omitempty"`
	// TCPHosts is TCP across two machines, when a tcp workload ran.
	TCPHosts []TCPHosts `json:"tcp_two_machines,omitempty"`
}

// Settings are the options of a run that shaped its numbers.
type Settings struct {
	Profiles  []string `json:"profiles"`
	Repeat    int      `json:"repeat"`
	BenchTime string   `json:"benchtime"`
	SeqBytes  int64    `json:"seqio_bytes"`
	DiskKind  string   `json:"disk"`
	ComputeNs int64    `json:"mixed_compute_ns"`
}

// Options configure RunWith. Zero fields take the defaults.
type Options struct {
	// Workloads to run (default all, sorted).
	Workloads []string
	// Placements to compare (default micro, mono, hybrid).
	Placements []Placement
	// Profiles for virtual time (default l4, mach, modern); the first
	// gives the counts per operation and the Result's VirtualNsOp.
	Profiles []string
	// Repeat is the number of host-time measurements (default 1).
	Repeat int
	// BenchTime is the least host time of one measurement (default 1s).
	BenchTime time.Duration
	// SeqBytes, DiskKind and ComputeNs go to every Setup (see Setup).
	SeqBytes  int64
	DiskKind  string
	ComputeNs int64
	// MaxTimeNs stops each measured system at this virtual time (0: no
	// limit); RunWith then fails with ErrTimeLimit.
	MaxTimeNs int64
	// Progress, when set, is told of each step as it starts.
	Progress func(done, total int, step string)
}

// DefaultProfiles are the cost profiles bench reports.
var DefaultProfiles = []string{"l4", "mach", "modern"}

func (o *Options) defaults() error {
	if len(o.Workloads) == 0 {
		o.Workloads = WorkloadNames()
	}
	for _, w := range o.Workloads {
		if Suite[w] == nil {
			if why, ok := Missing[w]; ok {
				return fmt.Errorf("workload %q cannot run yet: %s", w, why)
			}
			return fmt.Errorf("unknown workload %q (have %v)", w, WorkloadNames())
		}
	}
	if len(o.Placements) == 0 {
		o.Placements = Placements(boot.Modes, false, nil, "")
	}
	if len(o.Profiles) == 0 {
		o.Profiles = DefaultProfiles
	}
	for _, p := range o.Profiles {
		if _, err := kernel.LookupProfile(p); err != nil {
			return err
		}
	}
	o.Repeat = max(o.Repeat, 1)
	if o.BenchTime <= 0 {
		o.BenchTime = time.Second
	}
	return nil
}

// Run measures workload in each mode and the references, all in this run.
func Run(workload string, modes []boot.Mode) (*Report, error) {
	return RunWith(Options{Workloads: []string{workload}, Placements: Placements(modes, false, nil, ""), Profiles: []string{"l4"}})
}

// RunWith measures every workload in every placement: host time Repeat
// times, then virtual time and counts once under each profile (a
// simulated run is deterministic: once is enough).
func RunWith(o Options) (*Report, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	rep := &Report{Reference: MeasureReference(), Machine: ReadMachine(), Missing: Missing,
		Settings: &Settings{Profiles: o.Profiles, Repeat: o.Repeat, BenchTime: o.BenchTime.String(),
			SeqBytes: Setup{SeqBytes: o.SeqBytes}.seqBytes(), DiskKind: Setup{DiskKind: o.DiskKind}.disk(seqioWorkload, nil).Kind,
			ComputeNs: Setup{ComputeNs: o.ComputeNs}.computeNs()}}
	var err error
	if rep.Reference.FlipcallNs, err = measureFlipcall(o.Placements, o.BenchTime); err != nil {
		return nil, fmt.Errorf("flipcall reference: %w", err)
	}
	total := len(o.Workloads) * len(o.Placements) * (o.Repeat + len(o.Profiles))
	step := 0
	for _, name := range o.Workloads {
		for _, p := range o.Placements {
			p.Setup.SeqBytes, p.Setup.DiskKind, p.Setup.ComputeNs, p.Setup.MaxTimeNs = o.SeqBytes, o.DiskKind, o.ComputeNs, o.MaxTimeNs
			res, err := runOne(Suite[name], p, o, func(what string) {
				if o.Progress != nil {
					o.Progress(step, total, fmt.Sprintf("%s %s %s", name, p.Label, what))
				}
				step++
			})
			if err != nil {
				return nil, err
			}
			res.RatioToCoro = ratio(res.NsPerOp, rep.Reference.CoroutineNs)
			res.RatioToDirect = ratio(res.NsPerOp, rep.Reference.DirectNs)
			rep.Results = append(rep.Results, res)
		}
	}
	if rep.TCPHosts, err = measureTCPHosts(o); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(total, total, "done")
	}
	rep.Goals = Judge(rep)
	return rep, nil
}

// runOne measures w in placement p.
func runOne(w *Workload, p Placement, o Options, progress func(string)) (Result, error) {
	res := Result{Mode: p.Setup.Mode, Workload: w.Name, Placement: p.Label, Repeats: o.Repeat,
		Profile: o.Profiles[0], Virtual: map[string]float64{}, BytesPerOp: w.BytesPerOp}
	if res.Mode == "" && p.Setup.Base != nil {
		res.Mode = p.Setup.Base.Mode
	}
	for _, l := range p.Setup.ActiveLinks(w) {
		res.Links = append(res.Links, l.From+"→"+l.To)
	}
	var ns, allocs, toFlip []float64
	for r := range o.Repeat {
		progress(fmt.Sprintf("host time %d/%d", r+1, o.Repeat))
		h, err := measureHost(w, p.Setup, o.BenchTime)
		if err != nil {
			return res, err
		}
		ns, allocs = append(ns, h.NsPerOp), append(allocs, h.AllocsPerOp)
		res.Iterations = h.Ops
		if p.Setup.Isolation == boot.IsolationProcess {
			flip, err := procplace.MeasureRoundTrip(boot.ProcessExe, o.BenchTime)
			if err != nil {
				return res, fmt.Errorf("flipcall reference: %w", err)
			}
			toFlip = append(toFlip, h.NsPerOp/flip)
		}
	}
	res.Host, res.ToFlipcall = spread(ns), spread(toFlip)
	res.NsPerOp = res.Host.Median
	res.AllocsPerOp = int64(spread(allocs).Median + 0.5)
	for i, prof := range o.Profiles {
		progress("virtual time, " + prof)
		s := p.Setup
		s.Profile = prof
		c, err := Measure(w, s, w.VirtualOps)
		if err != nil {
			return res, err
		}
		res.Virtual[prof] = float64(c.VirtualNs) / float64(c.Ops)
		if i == 0 {
			res.PerOp, res.VirtualNsOp = c.PerOp(), res.Virtual[prof]
		}
	}
	return res, nil
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// JSON writes the report as one JSON object.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Find returns the result of workload in placement, or nil.
func (r *Report) Find(workload, placement string) *Result {
	i := slices.IndexFunc(r.Results, func(x Result) bool { return x.Workload == workload && x.Placement == placement })
	if i < 0 {
		return nil
	}
	return &r.Results[i]
}

// profiles returns the profiles the results have, in the settings' order.
func (r *Report) profiles() []string {
	if r.Settings != nil {
		return r.Settings.Profiles
	}
	if len(r.Results) > 0 {
		return []string{r.Results[0].Profile}
	}
	return nil
}
