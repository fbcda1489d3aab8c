// Package ostepcase reads the reference cases saved from the OSTEP homework
// simulators: text files whose first line is "# command: python3 TOOL
// ARGS…", whose optional second line "# status: N" is the tool's exit
// status when it is not 0, and whose rest is what the tool printed on
// standard output (see sched/testdata/ostep/README.md). The labs' tests compare mkos with them.
//
// Imports: the standard library only.
package ostepcase

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Case is one saved run of a tool.
type Case struct {
	Name   string   // the file's base name without .txt
	File   string   // the file's path
	Tool   string   // e.g. "scheduler.py"
	Args   []string // the tool's arguments
	Out    string   // what it printed on standard output
	Status int      // its exit status
}

// header is the start of every case's first line.
const header = "# command: python3 "

// statusHeader starts the line of a non-zero exit status.
const statusHeader = "# status: "

// Load reads every case matching the globs, in order; it fails when a glob
// matches nothing or a file has no command line.
func Load(globs ...string) ([]Case, error) {
	var cases []Case
	for _, glob := range globs {
		files, err := filepath.Glob(glob)
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("no cases match %s (err %v)", glob, err)
		}
		for _, f := range files {
			c, err := read(f)
			if err != nil {
				return nil, err
			}
			cases = append(cases, c)
		}
	}
	return cases, nil
}

func read(file string) (Case, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Case{}, err
	}
	first, out, _ := strings.Cut(string(data), "\n")
	cmd, ok := strings.CutPrefix(first, header)
	args := strings.Fields(cmd)
	if !ok || len(args) == 0 {
		return Case{}, fmt.Errorf("%s: first line %q, want %s TOOL ARGS", file, first, header)
	}
	status := 0
	if line, rest, ok := strings.Cut(out, "\n"); ok && strings.HasPrefix(line, statusHeader) {
		n, err := strconv.Atoi(strings.TrimPrefix(line, statusHeader))
		if err != nil || n == 0 {
			return Case{}, fmt.Errorf("%s: second line %q, want %sN with N not 0", file, line, statusHeader)
		}
		status, out = n, rest
	}
	return Case{Name: strings.TrimSuffix(filepath.Base(file), ".txt"), File: file, Tool: args[0], Args: args[1:], Out: out, Status: status}, nil
}
