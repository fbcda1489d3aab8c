package main

import (
	"encoding/json"
	"github.com/mkos/mkos/internal/ostepcase"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schedCommands maps an OSTEP tool to the mkos command that stands in for it.
var schedCommands = map[string][]string{
	"scheduler.py": {"sched"},
	"mlfq.py":      {"sched", "mlfq"},
	"lottery.py":   {"sched", "lottery"},
}

// Every saved OSTEP run, with its command line given to mkos sched, prints
// the same bytes: the answers with -c (sched/testdata/ostep,
// lab/schedlab/testdata/ostep-extra), the homework without
// (lab/schedlab/testdata/ostep-homework).
func TestSchedMatchesOSTEP(t *testing.T) {
	cases, err := ostepcase.Load("../../sched/testdata/ostep/*.txt", "../../lab/schedlab/testdata/ostep-*/*.txt")
	require.NoError(t, err)
	for _, c := range cases {
		t.Run(filepath.Base(c.File), func(t *testing.T) {
			args := append(schedCommands[c.Tool], c.Args...)
			out, errOut, err := mkos(t, args...)
			require.NoError(t, err, errOut)
			assert.Equal(t, c.Out, out, "mkos %s", strings.Join(args, " "))
		})
	}
}

// --json replaces the text; --gantt writes an SVG next to it.
func TestSchedJSONAndGantt(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "rr.svg")
	out, _, err := mkos(t, "sched", "-p", "RR", "-l", "3,2", "-q", "1", "--json", "--gantt", svg)
	require.NoError(t, err)
	var res struct {
		Tool     string `json:"tool"`
		Schedule []int  `json:"schedule"`
		Average  struct {
			Turnaround float64 `json:"turnaround"`
		} `json:"average"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	assert.Equal(t, "scheduler.py", res.Tool)
	assert.Equal(t, []int{0, 1, 0, 1, 0}, res.Schedule)
	assert.InDelta(t, 4.5, res.Average.Turnaround, 1e-9, "(5 + 4) / 2")
	chart, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(chart), "<svg "), "%.40s", chart)
}

func TestSchedErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"MLFQ is a subcommand", []string{"sched", "-p", "MLFQ"}, "mkos sched mlfq"},
		{"a policy in no table", []string{"sched", "-p", "LIFO"}, "sched.Policies has"},
		{"an mlfq flag on scheduler.py", []string{"sched", "-n", "2"}, "unknown shorthand flag: 'n'"},
		{"a bad job list", []string{"sched", "lottery", "-l", "5"}, "not run:tickets"},
		{"stray arguments", []string{"sched", "mlfq", "extra"}, "unknown command"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := mkos(t, c.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}
