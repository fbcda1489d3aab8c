package ostepcpu

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/textdiff"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/*.txt from this package's output")

// cases are checked against mkos's own saved outputs (regressions, see
// doc.go) and, those with -c, against the model's invariants.
var cases = []struct {
	name, args string
	status     int
}{
	{"two-cpu-jobs", "-l 5:100,5:100 -c -p", 0},
	{"io-then-cpu", "-l 1:0,4:100 -c -p", 0},
	{"homework-s1", "-l 5:50 -s 1", 0},
	{"homework-switch-on-end", "-l 3:0,5:100 -S SWITCH_ON_END -I IO_RUN_IMMEDIATE", 0},
	{"io-only-switch-on-end", "-l 3:0,3:0 -S SWITCH_ON_END -c -p", 0},
	{"run-immediate", "-l 3:0,5:100,5:100 -I IO_RUN_IMMEDIATE -c -p", 0},
	{"run-later", "-l 3:0,5:100,5:100 -I IO_RUN_LATER -c -p", 0},
	{"random-s3", "-s 3 -l 6:50,6:50,6:50 -c -p", 0},
	{"iolength-0", "-l 2:0,2:100 -L 0 -c -p", 0},
	{"iolength-1", "-l 2:0,2:100 -L 1 -c -p", 0},
	{"program", "-P c3,i,c1:i,c2 -c -p", 0},
	{"program-homework", "-P c2,i:c1", 0},
	{"zero-instructions", "-l 0:100,2:100 -c -p", 0},
	{"no-list", "", 1},
	{"bad-description", "-l 5", 1},
	{"bad-opcode", "-P x2", 1},
	{"bad-switch", "-l 1:100 -S NEVER", 1},
	{"negative-iolength", "-l 1:100 -L -1", 1},
	{"bad-seed", "-s one", 2},
	{"not-a-number", "-l x:50", 1},
}

func TestSavedOutputs(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			if st := ProcessRun(strings.Fields(c.args), &out, &errw); st != c.status {
				t.Errorf("ProcessRun(%s) = %d, want %d (stderr %q)", c.args, st, c.status, errw.String())
			}
			file := filepath.Join("testdata", c.name+".txt")
			text := fmt.Sprintf("# mkos ostep process-run %s\n%s", c.args, out.String())
			if *rewrite {
				os.WriteFile(file, []byte(text), 0o644)
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if text != string(want) {
				t.Errorf("ProcessRun(%s): %s", c.args, textdiff.FirstLine(text, string(want)))
			}
		})
	}
}

// TestREADMEExample is the one run of the README of cpu-intro that the
// author remembers whole (-l 1:0,4:100 -c -p).
func TestREADMEExample(t *testing.T) {
	want := `Time        PID: 0        PID: 1           CPU           IOs
  1         RUN:io         READY             1          
  2        BLOCKED       RUN:cpu             1             1
  3        BLOCKED       RUN:cpu             1             1
  4        BLOCKED       RUN:cpu             1             1
  5        BLOCKED       RUN:cpu             1             1
  6        BLOCKED          DONE                           1
  7*   RUN:io_done          DONE             1          

Stats: Total Time 7
Stats: CPU Busy 6 (85.71%)
Stats: IO Busy  5 (71.43%)

`
	var out, errw bytes.Buffer
	ProcessRun(strings.Fields("-l 1:0,4:100 -c -p"), &out, &errw)
	if got := out.String(); got != want {
		t.Errorf("ProcessRun(-l 1:0,4:100 -c -p): %s", textdiff.FirstLine(got, want))
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
	for _, c := range cases {
		if c.status != 0 || !strings.Contains(c.args, "-c") {
			continue
		}
		var out, errw bytes.Buffer
		ProcessRun(strings.Fields(c.args), &out, &errw)
		ioLen := 5
		if m := regexp.MustCompile(`-L (\d+)`).FindStringSubmatch(c.args); m != nil {
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
						t.Errorf("%s: process %d blocked %d ticks, want -L %d (line %q)", c.name, pid, blockedFor[pid], ioLen, line)
					}
					blockedFor[pid] = 0
				}
			}
			if runs > 1 {
				t.Errorf("%s: %d processes run at once: %q", c.name, runs, line)
			}
			if strings.Contains(line, "RUN:") {
				cpu++
			}
			nBlocked := strings.Count(line, "BLOCKED")
			if idle := strings.HasSuffix(line, "          "); idle != (nBlocked == 0) || (!idle && cols[len(cols)-1] != strconv.Itoa(nBlocked)) {
				t.Errorf("%s: line %q: the I/O column is not the %d blocked processes", c.name, line, nBlocked)
			}
			if !strings.HasSuffix(line, "          ") {
				io++
			}
		}
		m := statsRe.FindStringSubmatch(out.String())
		if m == nil {
			t.Errorf("%s: no stats", c.name)
			continue
		}
		if want := fmt.Sprintf("%d %d %d", ticks, cpu, io); fmt.Sprintf("%s %s %s", m[1], m[2], m[3]) != want {
			t.Errorf("%s: stats %s %s %s, want total/cpu/io %s counted from the trace", c.name, m[1], m[2], m[3], want)
		}
	}
}
