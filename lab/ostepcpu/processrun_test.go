package ostepcpu

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	tickRe  = regexp.MustCompile(`^ *(\d+)[ *] `)
	statsRe = regexp.MustCompile(`Stats: Total Time (\d+)\nStats: CPU Busy (\d+) .*\nStats: IO Busy  (\d+)`)
)

// TestTraceInvariants reads each -c trace back and checks the book's
// model: one process at most runs an instruction per tick, the CPU column
// says so, a process blocks for exactly -L ticks after its io, and the
// stats are the columns' totals.
func TestTraceInvariants(t *testing.T) {
	for _, c := range loadCases(t, "process-run") {
		args := strings.Join(c.Args, " ")
		if c.Status != 0 || !strings.Contains(args, "-c") || !strings.Contains(args, "-p") {
			continue
		}
		var out, errw bytes.Buffer
		ProcessRun(c.Args, &out, &errw)
		ioLen := 5
		if m := regexp.MustCompile(`-L (\d+)`).FindStringSubmatch(args); m != nil {
			ioLen, _ = strconv.Atoi(m[1])
		}
		var cpu, io, ticks int
		blockedFor := map[int]int{}
		for _, line := range strings.Split(out.String(), "\n") {
			if !tickRe.MatchString(line) {
				continue
			}
			ticks++
			cols := strings.Fields(line[4:])
			runs := 0
			for pid, col := range cols {
				if strings.HasPrefix(col, "RUN:") {
					runs++
				}
				if col == "BLOCKED" {
					blockedFor[pid]++
				} else if blockedFor[pid] > 0 {
					if blockedFor[pid] != ioLen {
						t.Errorf("%s: process %d blocked %d ticks, want -L %d (line %q)", c.Name, pid, blockedFor[pid], ioLen, line)
					}
					blockedFor[pid] = 0
				}
			}
			if runs > 1 {
				t.Errorf("%s: %d processes run at once: %q", c.Name, runs, line)
			}
			if strings.Contains(line, "RUN:") {
				cpu++
			}
			nBlocked := strings.Count(line, "BLOCKED")
			if idle := strings.HasSuffix(line, "          "); idle != (nBlocked == 0) || (!idle && cols[len(cols)-1] != strconv.Itoa(nBlocked)) {
				t.Errorf("%s: line %q: the I/O column is not the %d blocked processes", c.Name, line, nBlocked)
			}
			if !strings.HasSuffix(line, "          ") {
				io++
			}
		}
		m := statsRe.FindStringSubmatch(out.String())
		if m == nil {
			t.Errorf("%s: no stats", c.Name)
			continue
		}
		if want := fmt.Sprintf("%d %d %d", ticks, cpu, io); fmt.Sprintf("%s %s %s", m[1], m[2], m[3]) != want {
			t.Errorf("%s: stats %s %s %s, want total/cpu/io %s counted from the trace", c.Name, m[1], m[2], m[3], want)
		}
	}
}
