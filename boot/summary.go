package boot

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// Summary is what a run did, for people (Write) and programs (JSON).
type Summary struct {
	Mode      Mode             `json:"mode"`
	Policy    string           `json:"policy"`
	Profile   string           `json:"profile"`
	CPUs      int              `json:"cpus"`
	Seed      uint64           `json:"seed"`
	VirtualNs int64            `json:"virtual_ns"`
	Kernel    kernel.Stats     `json:"kernel"`
	Services  []ServiceSummary `json:"services"`
	Restarts  []RestartSummary `json:"restarts"`
	Workload  WorkloadSummary  `json:"workload"`
	Disk      *DiskSummary     `json:"disk,omitempty"`
	RAID      *RAIDSummary     `json:"raid,omitempty"`
	Memory    *MemorySummary   `json:"memory,omitempty"`
	Panic     string           `json:"panic,omitempty"`
	// TimeLimitHit: the run stopped at max_time with work left.
	TimeLimitHit bool `json:"time_limit_hit,omitempty"`
}

// DiskSummary is what the disk did; absent without a disk.
type DiskSummary struct {
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	Image         string `json:"image,omitempty"`
	IOSched       string `json:"iosched"`
	Blocks        int64  `json:"blocks"`
	BlockSize     int    `json:"block_size"`
	Reads         int64  `json:"reads"`
	Writes        int64  `json:"writes"`
	BytesRead     int64  `json:"bytes_read"`
	BytesWritten  int64  `json:"bytes_written"`
	Seeks         int64  `json:"seeks"`
	SeekCylinders int64  `json:"seek_cylinders"`
	BusyNs        int64  `json:"busy_ns"`
}

// ServiceSummary is one service's line.
type ServiceSummary struct {
	Name      string `json:"name"`
	Placement string `json:"placement"`
	Instances int    `json:"instances"`
	Requests  int64  `json:"requests"`
	Errors    int64  `json:"errors"`
	InFlight  int64  `json:"in_flight"`
	Restarts  int64  `json:"restarts"`
	MeanNs    int64  `json:"mean_latency_ns"`
	P99Ns     int64  `json:"p99_latency_ns"`
}

// RestartSummary is one restart.
type RestartSummary struct {
	Server string `json:"server"`
	Old    string `json:"old"`
	New    string `json:"new"`
	Cause  string `json:"cause"`
	TimeNs int64  `json:"time_ns"`
}

// WorkloadSummary is what the demo clients saw.
type WorkloadSummary struct {
	Calls    int            `json:"calls_ok"`
	Wrong    int            `json:"wrong_answers"`
	Retries  int            `json:"retries"`
	Errors   map[string]int `json:"errors,omitempty"`
	Finished int            `json:"clients_finished"`
	Clients  int            `json:"clients"`
	// FileWrites are the records the clients wrote to their log files
	// (with a disk and the file server).
	FileWrites int `json:"file_writes,omitempty"`
	// Pathfinder is the pathfinder workload's outcome, nil for the demo.
	Pathfinder *PathfinderSummary `json:"pathfinder,omitempty"`
}

func (s *System) summarize() *Summary {
	k, c := s.Kernel, s.Config
	sum := &Summary{Mode: c.Mode, Policy: c.Policy, Profile: c.Profile, CPUs: c.CPUs, Seed: c.Seed,
		VirtualNs: k.Now(), Kernel: k.Stats()}
	for _, si := range k.Services() {
		pl := s.placementOf(si)
		sum.Services = append(sum.Services, ServiceSummary{Name: si.Name, Placement: pl, Instances: len(si.Instances),
			Requests: si.Stats.Requests, Errors: si.Stats.Errors, InFlight: si.Stats.InFlight,
			Restarts: si.Stats.Restarts, MeanNs: si.Stats.MeanLatencyNs(), P99Ns: p99(&si.Stats)})
	}
	for _, r := range s.Restarts {
		sum.Restarts = append(sum.Restarts, RestartSummary{Server: r.Server, Old: taskName(r.Old), New: taskName(r.New), Cause: r.Cause, TimeNs: r.TimeNs})
	}
	t := s.Tally
	sum.Workload = WorkloadSummary{Calls: t.Calls, Wrong: t.Wrong, Retries: t.Retries, Errors: t.Errors, Finished: t.Finished, Clients: c.Workload.Clients, FileWrites: t.FileWrites}
	if pf := s.pathfinderSummary(); pf != nil {
		sum.Workload = WorkloadSummary{Pathfinder: pf, Finished: len(pf.Order), Clients: 3}
	}
	if p := k.Halted(); p != nil {
		sum.Panic = p.Error()
	}
	sum.TimeLimitHit = k.TimeLimitHit()
	sum.Disk = s.diskSummary()
	sum.RAID = s.raidSummary()
	sum.Memory = s.memorySummary()
	return sum
}

// taskName renders a task endpoint, "-" for none (a service restarted
// after it was stopped had no instance to replace).
func taskName(ep ipc.Endpoint) string {
	if ep == 0 {
		return "-"
	}
	return ep.String()
}

// String is the disk's line in the summary.
func (d *DiskSummary) String() string {
	where := "in memory"
	if d.Image != "" {
		where = "image " + d.Image
	}
	return fmt.Sprintf("disk %s: %s, %d blocks of %d bytes, %s, %s scheduling: %d reads, %d writes, %d bytes, %d seeks over %d cylinders, busy %s",
		d.Name, d.Kind, d.Blocks, d.BlockSize, where, d.IOSched, d.Reads, d.Writes, d.BytesRead+d.BytesWritten,
		d.Seeks, d.SeekCylinders, kernel.FormatNs(d.BusyNs))
}

func (s *System) diskSummary() *DiskSummary {
	if s.Disk == nil {
		return nil
	}
	return s.diskSummaryOf(s.Disk)
}

// diskSummaryOf is the summary of disk d.
func (s *System) diskSummaryOf(d *hw.Disk) *DiskSummary {
	g, st := d.Geometry(), d.Stats()
	sched := s.Config.Disk.IOSched
	if sched == "" {
		sched = disk.DefaultScheduler
	}
	return &DiskSummary{Name: d.Name(), Kind: g.Kind, Image: d.Image(), IOSched: sched, Blocks: g.Blocks, BlockSize: g.BlockSize,
		Reads: st.Reads, Writes: st.Writes, BytesRead: st.BytesRead, BytesWritten: st.BytesWritten,
		Seeks: st.Seeks, SeekCylinders: st.SeekCylinders, BusyNs: st.BusyNs}
}

// p99 returns the upper bound of the histogram bucket holding the 99th
// percentile latency.
func p99(st *kernel.ServiceStats) int64 {
	var total int64
	for _, n := range st.Latency {
		total += n
	}
	if total == 0 {
		return 0
	}
	want, seen := (total*99+99)/100, int64(0)
	for i, n := range st.Latency {
		seen += n
		if seen >= want {
			return int64(1) << i
		}
	}
	return 0
}

// JSON writes the summary as indented JSON.
func (s *Summary) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// Write prints the summary for people.
func (s *Summary) Write(w io.Writer) {
	fmt.Fprintf(w, "mkos %s mode, policy %s, profile %s, %d cpu(s), seed %d\n", s.Mode, s.Policy, s.Profile, s.CPUs, s.Seed)
	k := s.Kernel
	fmt.Fprintf(w, "virtual time %s: %d system calls, %d messages, %d in-kernel calls, %d context switches, %d ticks, %d bulk bytes\n",
		kernel.FormatNs(s.VirtualNs), k.Traps, k.Messages, k.KernelCalls, k.Switches, k.Ticks, k.BulkBytes)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "service\tplacement\tinstances\trequests\terrors\trestarts\tmean\tp99≤\t")
	for _, sv := range s.Services {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t\n", sv.Name, sv.Placement, sv.Instances, sv.Requests, sv.Errors,
			sv.Restarts, kernel.FormatNs(sv.MeanNs), kernel.FormatNs(sv.P99Ns))
	}
	tw.Flush()
	if s.Disk != nil {
		fmt.Fprintf(w, "\n%s\n", s.Disk)
	}
	if s.RAID != nil {
		s.RAID.write(w)
	}
	if s.Memory != nil {
		fmt.Fprintln(w)
		s.Memory.write(w)
	}
	for _, r := range s.Restarts {
		fmt.Fprintf(w, "\nrestart at %s: %s %s → %s (%s)", kernel.FormatNs(r.TimeNs), r.Server, r.Old, r.New, r.Cause)
	}
	if len(s.Restarts) > 0 {
		fmt.Fprintln(w)
	}
	wl := s.Workload
	if wl.Pathfinder != nil {
		fmt.Fprintf(w, "\n%s\n", wl.Pathfinder)
		s.writePanic(w)
		return
	}
	fmt.Fprintf(w, "\nworkload: %d/%d clients finished, %d calls answered correctly, %d wrong, %d retried after a server death\n",
		wl.Finished, wl.Clients, wl.Calls, wl.Wrong, wl.Retries)
	switch {
	case wl.FileWrites == 1:
		fmt.Fprintln(w, "  1 record written to the clients' log files (/tmp/clientN) and synced")
	case wl.FileWrites > 1:
		fmt.Fprintf(w, "  %d records written to the clients' log files (/tmp/clientN) and synced\n", wl.FileWrites)
	}
	keys := make([]string, 0, len(wl.Errors))
	for e := range wl.Errors {
		keys = append(keys, e)
	}
	sort.Strings(keys)
	for _, e := range keys {
		fmt.Fprintf(w, "  failed %d×: %s\n", wl.Errors[e], e)
	}
	s.writePanic(w)
}

// writePanic writes the kernel panic that halted the run, if one did.
func (s *Summary) writePanic(w io.Writer) {
	if s.Panic != "" {
		fmt.Fprintf(w, "\n%s\n%s\n", strings.Repeat("!", 60), s.Panic)
	}
}
