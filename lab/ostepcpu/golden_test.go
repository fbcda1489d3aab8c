package ostepcpu

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/ostepcase"
	"github.com/mkos/mkos/internal/textdiff"
)

// loadCases reads the saved runs of the real script of tool
// (testdata/TOOL/*.txt, see lab/ostepvm/testdata/README.md).
func loadCases(t *testing.T, tool string) []ostepcase.Case {
	t.Helper()
	cases, err := ostepcase.Load(filepath.Join("testdata", tool, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("%s: %d saved runs, want at least 10", tool, len(cases))
	}
	return cases
}

// TestGolden runs every saved run of every tool's real script and wants
// the same standard output, byte for byte, and exit status.
func TestGolden(t *testing.T) {
	for _, tool := range Tools {
		for _, c := range loadCases(t, tool.Name) {
			t.Run(tool.Name+"/"+c.Name, func(t *testing.T) {
				if c.Tool != tool.Name+".py" {
					t.Fatalf("%s: tool %s, want %s.py", c.File, c.Tool, tool.Name)
				}
				var out, errw bytes.Buffer
				args := strings.Join(c.Args, " ")
				if st := tool.Main(c.Args, &out, &errw); st != c.Status {
					t.Errorf("%s(%s) = %d, want %d (stderr %q)", tool.Name, args, st, c.Status, errw.String())
				}
				if out.String() != c.Out {
					t.Errorf("%s(%s): %s", tool.Name, args, textdiff.FirstLine(out.String(), c.Out))
				}
			})
		}
	}
}
