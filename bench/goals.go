package bench

import "fmt"

// Goal is one of the project's goals (issue 7), judged on a report's
// numbers. Nothing is adjusted to meet a goal: the verdict is read off the
// measurements, with the criterion stated.
type Goal struct {
	Name string `json:"name"`
	// Target is the criterion, in words.
	Target string `json:"target"`
	// Value is the measured figure the verdict rests on.
	Value float64 `json:"value"`
	// Verdict is "met", "not met" or "not measured".
	Verdict string `json:"verdict"`
	Detail  string `json:"detail"`
}

// The verdicts.
const (
	Met         = "met"
	NotMet      = "not met"
	NotMeasured = "not measured"
)

// goalWorkload is the macro workload the goals are judged on.
const goalWorkload = "mixed"

// Judge evaluates the goals on r: they need mixed in micro, mono and
// hybrid. It returns nil when mixed was not run.
func Judge(r *Report) []Goal {
	mi, mo, hy := r.Find(goalWorkload, "micro"), r.Find(goalWorkload, "mono"), r.Find(goalWorkload, "hybrid")
	if mi == nil && mo == nil && hy == nil {
		return nil // mixed was not run
	}
	goals := []Goal{
		{Name: "micro host time on mixed", Target: "micro ≤ 1.3 × mono"},
		{Name: "hybrid closes the gap", Target: "hybrid's host time closes ≥ 1/2 of the micro–mono gap on mixed"},
		{Name: "l4 overhead vs L4Linux", Target: "micro's virtual-time overhead over mono on mixed under l4 ≤ 10% (L4Linux: ~5% on AIM)"},
		{Name: "mach shows the slowness", Target: "micro's overhead over mono on mixed under mach ≥ 3 × its overhead under l4"},
	}
	if mi == nil || mo == nil {
		for i := range goals {
			goals[i].Verdict, goals[i].Detail = NotMeasured, "needs mixed in micro and mono"
		}
		return goals
	}
	goals[0] = judgeHost(goals[0], mi, mo)
	goals[1] = judgeGap(goals[1], mi, mo, hy)
	goals[2] = judgeL4(goals[2], mi, mo)
	goals[3] = judgeMach(goals[3], mi, mo)
	return goals
}

func verdict(ok bool) string {
	if ok {
		return Met
	}
	return NotMet
}

func judgeHost(g Goal, mi, mo *Result) Goal {
	g.Value = ratio(mi.NsPerOp, mo.NsPerOp)
	g.Verdict = verdict(g.Value <= 1.3)
	g.Detail = fmt.Sprintf("micro %s, mono %s per job: %.2f×", FormatNs(mi.NsPerOp), FormatNs(mo.NsPerOp), g.Value)
	return g
}

func judgeGap(g Goal, mi, mo, hy *Result) Goal {
	if hy == nil {
		g.Verdict, g.Detail = NotMeasured, "needs mixed in hybrid"
		return g
	}
	gap := mi.NsPerOp - mo.NsPerOp
	if gap <= 0 {
		g.Verdict, g.Detail = Met, fmt.Sprintf("no gap: micro %s is not slower than mono %s", FormatNs(mi.NsPerOp), FormatNs(mo.NsPerOp))
		return g
	}
	g.Value = (mi.NsPerOp - hy.NsPerOp) / gap
	g.Verdict = verdict(g.Value >= 0.5)
	g.Detail = fmt.Sprintf("hybrid %s closes %.0f%% of the %s gap", FormatNs(hy.NsPerOp), 100*g.Value, FormatNs(gap))
	return g
}

func judgeL4(g Goal, mi, mo *Result) Goal {
	l4mi, l4mo := mi.Virtual["l4"], mo.Virtual["l4"]
	if l4mi == 0 || l4mo == 0 {
		g.Verdict, g.Detail = NotMeasured, "needs the l4 profile"
		return g
	}
	g.Value = l4mi/l4mo - 1
	g.Verdict = verdict(g.Value <= 0.10)
	g.Detail = fmt.Sprintf("micro %s, mono %s per job: +%.1f%% (L4Linux: ~5%%)", FormatNs(l4mi), FormatNs(l4mo), 100*g.Value)
	return g
}

func judgeMach(g Goal, mi, mo *Result) Goal {
	l4, mach := mi.Virtual["l4"]/mo.Virtual["l4"]-1, mi.Virtual["mach"]/mo.Virtual["mach"]-1
	if mi.Virtual["mach"] == 0 || mi.Virtual["l4"] == 0 {
		g.Verdict, g.Detail = NotMeasured, "needs the l4 and mach profiles"
		return g
	}
	g.Value = mach
	g.Verdict = verdict(l4 > 0 && mach >= 3*l4)
	g.Detail = fmt.Sprintf("overhead under mach +%.0f%% against +%.1f%% under l4 (%.1f×)", 100*mach, 100*l4, ratio(mach, l4))
	return g
}
