package faults

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// RunResult is what one run did and what its checks found.
type RunResult struct {
	Index int
	Seed  uint64
	// Strikes are the faults that hit, in order; Armed counts those armed.
	Strikes []Strike
	Armed   int
	// NeverHit names a fault armed that no request reached.
	NeverHit string
	// Stuck: the workload stopped making progress.
	Stuck bool
	// CutOff: the run stopped at Campaign.MaxTimeNs before it ended; it
	// was not checked.
	CutOff bool
	// Restarts counts the supervisor's restarts by server.
	Restarts map[string]int
	// Recoveries are the virtual ns from a crash or hang striking a
	// server in user space to its next instance, keyed "target kind";
	// Unrecovered counts those after which none came.
	Recoveries  map[string][]int64
	Unrecovered map[string]int
	// Jobs run, and those whose output was correct.
	Jobs, JobsOK int
	// Errnos counts the user-visible errors by errno; Undocumented those
	// the service does not document.
	Errnos       map[ipc.Errno]int
	Undocumented map[ipc.Errno]int
	// Believed counts the jobs whose output was wrong after a garbage
	// reply no stub could tell from a right one; Segv the programs killed
	// by SIGSEGV after one (an address they were given, a page fault
	// answered with garbage). Neither is a violation.
	Believed, Segv int
	// Halted: a kernel panic stopped the system; Hung: a hang in the
	// kernel stopped it; HaltExpected: either came from a fault in a
	// server placed in the kernel, as it must.
	Halted, Hung, HaltExpected bool
	HaltDetail                 string
	// StoppedBy is the server placed in the kernel whose fault stopped
	// the system, if one did.
	StoppedBy string
	// The fsync'ed files and bytes the workload recorded, and the bytes
	// of them not found on the disk after the run.
	DurableFiles, DurableBytes, BytesLost int64
	Violations                            []Violation
	VirtualNs                             int64
}

func (r *RunResult) violate(inv, detail string, blame *Strike) {
	r.Violations = append(r.Violations, Violation{Invariant: inv, Detail: detail, Fault: blame})
}

func (r *RunResult) count(e ipc.Errno, documented bool) {
	r.Errnos[e]++
	if !documented {
		r.Undocumented[e]++
	}
}

// collect reads what the run did from the recorder, the supervisor's log
// and the tasks.
func (r *RunResult) collect(sys *boot.System, rec *recorder, w *worker, in *injector, runErr error) {
	r.Restarts, r.Recoveries, r.Unrecovered = map[string]int{}, map[string][]int64{}, map[string]int{}
	r.Errnos, r.Undocumented = map[ipc.Errno]int{}, map[ipc.Errno]int{}
	for _, s := range rec.strikes {
		s.InKernel = in.p.inKernel[s.Svc]
		r.Strikes = append(r.Strikes, s)
	}
	rec.strikes = r.Strikes
	r.Armed, r.NeverHit, r.Stuck = in.armed, in.neverHit, in.stuck
	for _, x := range sys.Restarts {
		r.Restarts[x.Server]++
	}
	for _, s := range r.Strikes {
		if s.InKernel || s.Host == 0 && s.Kind != ipc.InjectCrash && s.Kind != ipc.InjectHang {
			continue
		}
		key := s.Svc + " " + s.What()
		if i := slices.IndexFunc(rec.restarts, func(x restart) bool { return x.svc == s.Svc && x.atNs >= s.AtNs }); i >= 0 {
			r.Recoveries[key] = append(r.Recoveries[key], rec.restarts[i].atNs-s.AtNs)
		} else {
			r.Unrecovered[key]++
		}
	}
	r.VirtualNs = sys.Kernel.Now()
}

// Report is a campaign's outcome.
type Report struct {
	Campaign Campaign
	// Targets are those injected into; Skipped those left out, with why.
	Targets  []string
	InKernel map[string]bool
	Skipped  map[string]string
	Runs     []*RunResult
	// Faults counts the strikes by target and kind; HostFaults the host
	// faults' by target and host fault.
	Faults     map[string]map[ipc.Injection]int
	HostFaults map[string]map[procplace.HostFault]int
	Total      int
	// Restarts by server; Errnos by errno (Undocumented: of those, the
	// ones not documented for the request).
	Restarts     map[string]int
	Errnos       map[ipc.Errno]int
	Undocumented map[ipc.Errno]int
	Jobs, JobsOK int
	// Believed and Segv add up the runs' (see RunResult).
	Believed, Segv int
	// Halts are the runs a fault in the kernel stopped, as expected:
	// Panics by a kernel panic, Hangs by a caller stuck in the kernel.
	Halts, Panics, Hangs int
	// Stopped counts, by target, the faults that stopped the system.
	Stopped                 map[string]int
	DurableBytes, BytesLost int64
	// Recoveries by "target kind", virtual ns, sorted; Unrecovered counts
	// faults after which the server never came back.
	Recoveries  map[string][]int64
	Unrecovered map[string]int
	// Violations counts the violations by invariant and fault kind.
	Violations map[string]map[string]int
	// Violating are the runs with a violation.
	Violating []*RunResult
	// CutOff counts the runs stopped at the time limit, unchecked.
	CutOff int
}

// summarize adds the runs up.
func summarize(c *Campaign, p *plan, runs []*RunResult) *Report {
	rep := &Report{Campaign: *c, Targets: p.targets, InKernel: p.inKernel, Skipped: p.skipped, Runs: runs,
		Faults: map[string]map[ipc.Injection]int{}, HostFaults: map[string]map[procplace.HostFault]int{}, Restarts: map[string]int{}, Errnos: map[ipc.Errno]int{},
		Undocumented: map[ipc.Errno]int{}, Recoveries: map[string][]int64{}, Unrecovered: map[string]int{},
		Violations: map[string]map[string]int{}, Stopped: map[string]int{}}
	for _, r := range runs {
		rep.add(r)
	}
	for _, v := range rep.Recoveries {
		slices.Sort(v)
	}
	return rep
}

func (rep *Report) add(r *RunResult) {
	if r.CutOff {
		rep.CutOff++
	}
	for _, s := range r.Strikes {
		rep.Total++
		if s.Host != 0 {
			if rep.HostFaults[s.Svc] == nil {
				rep.HostFaults[s.Svc] = map[procplace.HostFault]int{}
			}
			rep.HostFaults[s.Svc][s.Host]++
			continue
		}
		if rep.Faults[s.Svc] == nil {
			rep.Faults[s.Svc] = map[ipc.Injection]int{}
		}
		rep.Faults[s.Svc][s.Kind]++
	}
	addCounts(rep.Restarts, r.Restarts)
	addCounts(rep.Errnos, r.Errnos)
	addCounts(rep.Undocumented, r.Undocumented)
	addCounts(rep.Unrecovered, r.Unrecovered)
	for k, v := range r.Recoveries {
		rep.Recoveries[k] = append(rep.Recoveries[k], v...)
	}
	rep.Jobs, rep.JobsOK = rep.Jobs+r.Jobs, rep.JobsOK+r.JobsOK
	rep.Believed, rep.Segv = rep.Believed+r.Believed, rep.Segv+r.Segv
	rep.DurableBytes, rep.BytesLost = rep.DurableBytes+r.DurableBytes, rep.BytesLost+r.BytesLost
	if r.HaltExpected {
		rep.Halts++
		rep.Stopped[r.StoppedBy]++
		if r.Hung {
			rep.Hangs++
		} else {
			rep.Panics++
		}
	}
	for _, v := range r.Violations {
		kind := "-"
		if v.Fault != nil {
			kind = v.Fault.What()
		}
		if rep.Violations[v.Invariant] == nil {
			rep.Violations[v.Invariant] = map[string]int{}
		}
		rep.Violations[v.Invariant][kind]++
	}
	if len(r.Violations) > 0 {
		rep.Violating = append(rep.Violating, r)
	}
}

func addCounts[K comparable](dst, src map[K]int) {
	for k, v := range src {
		dst[k] += v
	}
}

// OK reports whether no run broke an invariant.
func (rep *Report) OK() bool { return len(rep.Violating) == 0 }

// ViolationCount is the number of violations in all.
func (rep *Report) ViolationCount() int {
	n := 0
	for _, r := range rep.Violating {
		n += len(r.Violations)
	}
	return n
}

// Write prints the report; at most maxShown violating runs are shown in
// full, each with its replay command.
func (rep *Report) Write(w io.Writer, maxShown int) {
	c := &rep.Campaign
	iso := ""
	if c.Isolation != "" {
		iso = ", isolation " + c.Isolation
	}
	fmt.Fprintf(w, "mkos faults: %s mode%s, workload %s, %d runs of up to %d faults, seed %d\n", c.Mode, iso, c.Workload, len(rep.Runs), c.PerRun, c.Seed)
	rep.writeTargets(w)
	fmt.Fprintf(w, "\nfaults that struck, by target and kind: %d of %d planned", rep.Total, len(rep.Runs)*c.PerRun)
	if rep.Halts > 0 {
		fmt.Fprint(w, " (a run that a fault in the kernel stopped ends there)")
	}
	fmt.Fprintln(w, "; survived: the system went on; stopped: it halted or hung")
	rep.writeFaults(w)
	rep.writeOutcomes(w)
	if rep.CutOff > 0 {
		fmt.Fprintf(w, "stopped at the time limit (%s of virtual time) before the workload ended, not checked: %d of %d runs\n",
			kernel.FormatNs(c.MaxTimeNs), rep.CutOff, len(rep.Runs))
	}
	rep.writeRecoveries(w)
	rep.writeViolations(w, maxShown)
}

func (rep *Report) writeTargets(w io.Writer) {
	var parts []string
	for _, t := range rep.Targets {
		where := "user space"
		if rep.InKernel[t] {
			where = "kernel"
		}
		parts = append(parts, t+" ("+where+")")
	}
	fmt.Fprintf(w, "targets: %s\n", strings.Join(parts, ", "))
	for _, t := range AllTargets {
		if why, ok := rep.Skipped[t]; ok && slices.Contains(rep.Campaign.Targets, t) {
			fmt.Fprintf(w, "  not injected: %s: %s\n", t, why)
		}
	}
}

func (rep *Report) writeFaults(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "target\t"
	for _, k := range rep.Campaign.Kinds {
		head += k.String() + "\t"
	}
	for _, k := range rep.Campaign.HostKinds {
		head += k.String() + "\t"
	}
	fmt.Fprintln(tw, head+"total\tsurvived\tstopped\t")
	for _, t := range rep.Targets {
		line, sum := t+"\t", 0
		for _, k := range rep.Campaign.Kinds {
			line += fmt.Sprintf("%d\t", rep.Faults[t][k])
			sum += rep.Faults[t][k]
		}
		for _, k := range rep.Campaign.HostKinds {
			line += fmt.Sprintf("%d\t", rep.HostFaults[t][k])
			sum += rep.HostFaults[t][k]
		}
		fmt.Fprintf(tw, "%s%d\t%d\t%d\t\n", line, sum, sum-rep.Stopped[t], rep.Stopped[t])
	}
	tw.Flush()
}

func (rep *Report) writeOutcomes(w io.Writer) {
	fmt.Fprintf(w, "\nrestarts by rs, the reincarnation server: %s\n", countsText(rep.Restarts))
	if rep.Halts > 0 {
		fmt.Fprintf(w, "system stopped by a fault in the kernel (expected there): %d of %d runs: %d kernel panics, %d hung in the kernel\n",
			rep.Halts, len(rep.Runs), rep.Panics, rep.Hangs)
	}
	fmt.Fprintf(w, "jobs: %d run, %d correct, %d failed\n", rep.Jobs, rep.JobsOK, rep.Jobs-rep.JobsOK)
	var errs []string
	sorted := sortedErrnos(rep.Errnos)
	for i, e := range sorted {
		if i == maxErrnos {
			rest := 0
			for _, e := range sorted[i:] {
				rest += rep.Errnos[e]
			}
			errs = append(errs, fmt.Sprintf("%d more errnos %d times", len(sorted)-i, rest))
			break
		}
		s := fmt.Sprintf("%s %d", errnoName(e), rep.Errnos[e])
		if n := rep.Undocumented[e]; n > 0 {
			s += fmt.Sprintf(" (%d undocumented)", n)
		}
		errs = append(errs, s)
	}
	undoc := 0
	for _, n := range rep.Undocumented {
		undoc += n
	}
	fmt.Fprintf(w, "user-visible errors by errno (%d undocumented in all): %s\n", undoc, orNone(strings.Join(errs, ", ")))
	fmt.Fprintf(w, "bytes lost: %d of %d fsync'ed bytes\n", rep.BytesLost, rep.DurableBytes)
	if rep.Believed > 0 || rep.Segv > 0 {
		fmt.Fprintf(w, "garbage believed (no checksum tells it from a right reply; not violations): %d jobs read a wrong result, %d programs killed by SIGSEGV\n",
			rep.Believed, rep.Segv)
	}
}

// maxErrnos bounds the errnos listed by name; garbage replies make up
// a hundred.
const maxErrnos = 12

func (rep *Report) writeRecoveries(w io.Writer) {
	fmt.Fprintln(w, "recovery time (virtual), from a crash or hang in user space to the server's next instance:")
	any := false
	for _, t := range rep.Targets {
		for _, k := range []ipc.Injection{ipc.InjectCrash, ipc.InjectHang} {
			any = rep.writeRecovery(w, t+" "+k.String()) || any
		}
		for _, k := range rep.Campaign.HostKinds {
			any = rep.writeRecovery(w, t+" "+k.String()) || any
		}
	}
	if !any {
		fmt.Fprintln(w, "  none (no crash or hang struck a server in user space)")
	}
}

// writeRecovery prints the distribution of one "target kind"; false when
// there is none.
func (rep *Report) writeRecovery(w io.Writer, key string) bool {
	v, lost := rep.Recoveries[key], rep.Unrecovered[key]
	if len(v) == 0 && lost == 0 {
		return false
	}
	{
		fmt.Fprintf(w, "  %-11s n=%-5d", key, len(v))
		if len(v) > 0 {
			fmt.Fprintf(w, "  p50 %s  p90 %s  p99 %s  max %s", kernel.FormatNs(pct(v, 50)), kernel.FormatNs(pct(v, 90)),
				kernel.FormatNs(pct(v, 99)), kernel.FormatNs(v[len(v)-1]))
		}
		if lost > 0 {
			fmt.Fprintf(w, "  never recovered: %d", lost)
		}
		fmt.Fprintln(w)
	}
	return true
}

func (rep *Report) writeViolations(w io.Writer, maxShown int) {
	if rep.OK() {
		fmt.Fprintf(w, "invariants: all held in %d runs checked (%s)\n", len(rep.Runs)-rep.CutOff, strings.Join(Invariants, "; "))
		return
	}
	fmt.Fprintf(w, "invariants: %d violations in %d of %d runs\n", rep.ViolationCount(), len(rep.Violating), len(rep.Runs))
	for _, inv := range Invariants {
		if m := rep.Violations[inv]; m != nil {
			fmt.Fprintf(w, "  %s: %s (by the kind of the fault to blame)\n", inv, countsText(m))
		}
	}
	for i, r := range rep.Violating {
		if i == maxShown {
			fmt.Fprintf(w, "... and %d more runs with violations\n", len(rep.Violating)-maxShown)
			break
		}
		fmt.Fprintf(w, "run %d (seed %d):\n", r.Index, r.Seed)
		for _, v := range r.Violations {
			blame := ""
			if v.Fault != nil {
				blame = fmt.Sprintf(" [after %s %s at %s]", v.Fault.Svc, v.Fault.What(), kernel.FormatNs(v.Fault.AtNs))
			}
			fmt.Fprintf(w, "  VIOLATED %s: %s%s\n", v.Invariant, v.Detail, blame)
		}
		fmt.Fprintf(w, "  replay: %s\n", rep.Campaign.Replay(r.Index))
	}
}

// pct is the p-th percentile of sorted v.
func pct(v []int64, p int) int64 { return v[min(len(v)-1, len(v)*p/100)] }

func countsText[K comparable](m map[K]int) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%v %d", k, v))
	}
	sort.Strings(parts)
	return orNone(strings.Join(parts, ", "))
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func sortedErrnos(m map[ipc.Errno]int) []ipc.Errno {
	var out []ipc.Errno
	for e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b ipc.Errno) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return int(a) - int(b)
	})
	return out
}
