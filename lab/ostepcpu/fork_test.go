package ostepcpu

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestForkFinalTree replays the actions each -c run prints, independently
// of the code under test, and checks that the last tree printed holds
// exactly the processes alive: forked and not exited.
func TestForkFinalTree(t *testing.T) {
	checked := 0
	for _, c := range loadCases(t, "fork") {
		args := strings.Join(c.Args, " ")
		if c.Status != 0 || !strings.Contains(args, "-c") {
			continue
		}
		var out, errw bytes.Buffer
		Fork(c.Args, &out, &errw)
		alive := []string{"a"}
		var tree []string
		inTree := false
		for _, line := range strings.Split(out.String(), "\n") {
			f := strings.Fields(line)
			switch {
			case len(f) == 4 && f[0] == "Action:" && f[2] == "forks":
				alive = append(alive, f[3])
				inTree, tree = true, nil
			case len(f) == 3 && f[0] == "Action:" && f[2] == "EXITS":
				alive = slices.DeleteFunc(alive, func(p string) bool { return p == f[1] })
				inTree, tree = true, nil
			case strings.HasPrefix(line, "Action:"):
				inTree, tree = true, nil
			case strings.HasSuffix(line, "Process Tree:"):
				inTree, tree = true, nil
			case inTree && len(f) > 0 && strings.HasPrefix(line, strings.Repeat(" ", 31)):
				tree = append(tree, f[len(f)-1])
			case inTree:
				inTree = false
			}
		}
		slices.Sort(alive)
		slices.Sort(tree)
		if !slices.Equal(alive, tree) {
			t.Errorf("Fork(%s): last tree %v, want the live processes %v", args, tree, alive)
		}
		checked++
	}
	if checked < 10 {
		t.Errorf("%d runs checked, want at least 10", checked)
	}
}

// TestForkUnseeded: without -s the script is unseeded; mkos's run is the
// same every time (seed 0's draws), and says -1 as the script does.
func TestForkUnseeded(t *testing.T) {
	var a, b, s0, errw bytes.Buffer
	Fork([]string{"-c"}, &a, &errw)
	Fork([]string{"-c"}, &b, &errw)
	Fork([]string{"-c", "-s", "0"}, &s0, &errw)
	if a.String() != b.String() {
		t.Errorf("Fork(-c) twice: two outputs:\n%s\n%s", a.String(), b.String())
	}
	if !strings.Contains(a.String(), "ARG seed -1\n") {
		t.Errorf("Fork(-c) = %q, want ARG seed -1", a.String())
	}
	if got, want := a.String()[strings.Index(a.String(), "ARG fork"):], s0.String()[strings.Index(s0.String(), "ARG fork"):]; got != want {
		t.Errorf("Fork(-c) draws differ from Fork(-c -s 0):\n%s\nwant\n%s", got, want)
	}
}
