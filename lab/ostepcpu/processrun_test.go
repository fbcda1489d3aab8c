package ostepcpu

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/ostepcase"
	"github.com/mkos/mkos/internal/textdiff"
)

// loadCases reads the saved runs of the real process-run.py
// (testdata/process-run/*.txt, see lab/ostepvm/testdata/README.md).
func loadCases(t *testing.T) []ostepcase.Case {
	t.Helper()
	cases, err := ostepcase.Load(filepath.Join("testdata", "process-run", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("%d saved runs, want at least 10", len(cases))
	}
	return cases
}

// TestGolden runs every saved run of the real script and wants the same
// standard output, byte for byte, and exit status.
func TestGolden(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			var out, errw bytes.Buffer
			args := strings.Join(c.Args, " ")
			if st := ProcessRun(c.Args, &out, &errw); st != c.Status {
				t.Errorf("ProcessRun(%s) = %d, want %d (stderr %q)", args, st, c.Status, errw.String())
			}
			if out.String() != c.Out {
				t.Errorf("ProcessRun(%s): %s", args, textdiff.FirstLine(out.String(), c.Out))
			}
		})
	}
}

var (
	tickRe  = regexp.MustCompile(`^ *(\d+)[ *] `)
	statsRe = regexp.MustCompile(`Stats: Total Time (\d+)\nStats: CPU Busy (\d+) .*\nStats: IO Busy  (\d+)`)
)

// TestTraceInvariants reads each -c trace back and checks the book's
// model: one process at most runs an instruction per tick, the CPU column
// says so, a process blocks for exactly -L ticks after its io, and the
// stats are the columns' totals.
func TestTraceInvariants(t *testing.T) {
	for _, c := range loadCases(t) {
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
