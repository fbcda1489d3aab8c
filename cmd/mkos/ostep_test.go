package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/internal/ostepcase"
)

// Every saved run of an OSTEP script prints the same bytes through `mkos
// ostep NAME`, the tool's own flags given as they were to Python, and
// exits with the script's status.
func TestOstepMatchesSavedRuns(t *testing.T) {
	cases, err := ostepcase.Load("../../sched/testdata/ostep/*.txt", "../../lab/schedlab/testdata/ostep-*/*.txt", "../../tests/testdata/ostep-paging/*.txt",
		"../../lab/ostepcpu/testdata/*/*.txt", "../../lab/ostepvm/testdata/*/*.txt")
	require.NoError(t, err)
	for _, c := range cases {
		t.Run(filepath.Base(filepath.Dir(c.File))+"/"+c.Name, func(t *testing.T) {
			args := append([]string{"ostep", strings.TrimSuffix(c.Tool, ".py")}, c.Args...)
			out, errOut, err := mkos(t, args...)
			code, _ := exitCode(err)
			if c.Status == 0 {
				require.NoError(t, err, errOut)
			}
			assert.Equal(t, c.Status, code, "exit status of mkos %s", strings.Join(args, " "))
			assert.Equal(t, c.Out, out, "mkos %s", strings.Join(args, " "))
		})
	}
}

func TestOstepList(t *testing.T) {
	out, _, err := mkos(t, "ostep")
	require.NoError(t, err)
	for _, want := range []string{"scheduler                    7 Scheduling: Introduction", "relocation ", "paging-policy ", "process-run ", "checksum "} {
		assert.Contains(t, out, want)
	}
	required := strings.Fields("process-run fork scheduler mlfq lottery multi relocation segmentation malloc paging-linear-translate paging-multilevel-translate paging-policy disk raid vsfs ffs lfs checksum")
	for _, name := range required {
		assert.Regexp(t, "(?m)^"+name+" ", out, "every simulator the course kit names is listed")
	}
}

func TestOstepStatusAndErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		status int
		out    string
	}{
		{"the script's own error exits 1", []string{"ostep", "relocation", "-p", "1"}, 1, "Error: must specify a non-zero physical memory size.\n"},
		{"optparse's error exits 2", []string{"ostep", "segmentation", "-s", "x"}, 2, ""},
		{"a good run exits 0", []string{"ostep", "paging-linear-translate", "-c"}, 0, "Virtual Address Trace\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := mkos(t, c.args...)
			code, _ := exitCode(err)
			assert.Equal(t, c.status, code)
			assert.Contains(t, out, c.out)
		})
	}
	// Every simulator of the Virtualization and Persistence parts is there.
	have := map[string]bool{}
	for _, tool := range ostepTools() {
		have[tool.name] = true
	}
	for _, name := range []string{"process-run", "fork", "scheduler", "mlfq", "lottery", "multi",
		"relocation", "segmentation", "malloc", "paging-linear-translate", "paging-multilevel-translate",
		"paging-policy", "disk", "raid", "vsfs", "ffs", "lfs", "checksum"} {
		assert.True(t, have[name], "mkos ostep lacks %s", name)
	}
	_, _, err := mkos(t, "ostep", "nosuch")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no simulator "nosuch"`)
}

// Every saved run of the Persistence part's scripts (disk.py, raid.py,
// vsfs.py, ffs.py, lfs.py, checksum.py; lab/ostepfs/testdata) prints the
// same standard output through `mkos ostep NAME`, the runs that end in the
// script's error included (their exit status is checked in lab/ostepfs).
func TestOstepPersistenceMatchesSavedRuns(t *testing.T) {
	cases, err := ostepcase.Load("../../lab/ostepfs/testdata/*/*.txt")
	require.NoError(t, err)
	for _, c := range cases {
		t.Run(filepath.Base(filepath.Dir(c.File))+"/"+c.Name, func(t *testing.T) {
			args := []string{"ostep", strings.TrimSuffix(c.Tool, ".py")}
			for _, a := range c.Args {
				args = append(args, strings.Replace(a, "testdata/", "../../lab/ostepfs/testdata/", 1))
			}
			out, _, _ := mkos(t, args...)
			assert.Equal(t, c.Out, out, "mkos %s", strings.Join(args, " "))
		})
	}
}
