package ostepcpu

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestMultiStats reads the trace of every -c -t run (without the extra
// columns of -T, -C, -S) and checks the totals the run prints against it:
// the finish time is the number of ticks traced, and each CPU's
// utilization is the share of ticks it ran a job.
func TestMultiStats(t *testing.T) {
	tickRe := regexp.MustCompile(`^ +\d+   `)
	utilRe := regexp.MustCompile(`CPU (\d+)  utilization +([0-9.]+) `)
	checked := 0
	for _, c := range loadCases(t, "multi") {
		args := " " + strings.Join(c.Args, " ") + " "
		if c.Status != 0 || !strings.Contains(args, " -c ") || !strings.Contains(args, " -t ") ||
			strings.Contains(args, " -T ") || strings.Contains(args, " -C ") || strings.Contains(args, " -S ") {
			continue
		}
		var out, errw bytes.Buffer
		Multi(c.Args, &out, &errw)
		ticks, busy := 0, map[int]int{}
		for _, line := range strings.Split(out.String(), "\n") {
			if !tickRe.MatchString(line) {
				continue
			}
			ticks++
			for cpu, job := range strings.Fields(line)[1:] {
				if job != "-" {
					busy[cpu]++
				}
			}
		}
		if !strings.Contains(out.String(), fmt.Sprintf("Finished time %d\n", ticks)) {
			t.Errorf("Multi(%s): %d ticks traced, but %q", args, ticks, out.String()[strings.Index(out.String(), "Finished"):])
		}
		for _, m := range utilRe.FindAllStringSubmatch(out.String(), -1) {
			var cpu int
			fmt.Sscan(m[1], &cpu)
			if want := fmt.Sprintf("%3.2f", 100*float64(busy[cpu])/float64(ticks)); m[2] != want {
				t.Errorf("Multi(%s): CPU %d utilization %s, want %s (%d of %d ticks)", args, cpu, m[2], want, busy[cpu], ticks)
			}
		}
		checked++
	}
	if checked < 3 {
		t.Errorf("%d runs checked, want at least 3", checked)
	}
}

// TestMultiNeverLoopsForever: the cases the script would never finish end
// with status 1 and say why.
func TestMultiNeverLoopsForever(t *testing.T) {
	for _, tt := range []struct{ name, args, want string }{
		{"no CPU", "-n 0 -c", "loop forever"},
		{"no CPU, per-CPU queues", "-n 0 -p -c", "loop forever"},
		{"a warm rate that does no work", "-L a:30:10 -n 1 -r 0 -w 1 -c", "run forever"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			if st := Multi(strings.Fields(tt.args), &out, &errw); st != 1 || !strings.Contains(errw.String(), tt.want) {
				t.Errorf("Multi(%s) = %d, stderr %q; want 1 and %q", tt.args, st, errw.String(), tt.want)
			}
		})
	}
}
