package ostepfs

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/ostepcase"
	"github.com/mkos/mkos/internal/textdiff"
)

// golden is one saved run of a script: testdata/TOOL/NAME.txt holds its
// command line and standard output; status is its exit status.
type golden struct {
	name   string
	status int
}

// checkGolden runs main on each case's arguments and compares the output
// and exit status with the script's.
func checkGolden(t *testing.T, tool string, main func([]string, io.Writer, io.Writer) int, cases []golden) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			saved, err := ostepcase.Load(filepath.Join("testdata", tool, c.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			sc := saved[0]
			if sc.Tool != tool+".py" {
				t.Fatalf("%s: saved from %s, want %s.py", sc.File, sc.Tool, tool)
			}
			var out, errw bytes.Buffer
			st := main(sc.Args, &out, &errw)
			if st != c.status {
				t.Errorf("%s %v: status = %d, want %d (stderr %q)", tool, sc.Args, st, c.status, errw.String())
			}
			if got := out.String(); got != sc.Out {
				t.Errorf("%s %v: %s", tool, sc.Args, textdiff.FirstLine(got, sc.Out))
			}
		})
	}
}

// TestEndless checks the cases where the script would never finish: mkos
// says so and exits 1 instead of looping.
func TestEndless(t *testing.T) {
	tests := []struct {
		name string
		main func([]string, io.Writer, io.Writer) int
		args []string
	}{
		{"disk that never turns", Disk, []string{"-a", "10", "-R", "0", "-c"}},
		{"disk turning backwards", Disk, []string{"-a", "10", "-R", "-1", "-c"}},
		{"lfs drawing only writes with no file", Lfs, []string{"-p", "w100", "-n", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			if st := tt.main(tt.args, &out, &errw); st != 1 || !strings.Contains(errw.String(), "loop forever") {
				t.Errorf("status = %d, stderr %q; want 1 and the endless loop named", st, errw.String())
			}
		})
	}
}
