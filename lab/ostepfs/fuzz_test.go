package ostepfs

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/ostepcase"
)

// FuzzTools runs each simulator on command lines made from the saved
// runs' and mutated: whatever the flags, a tool answers with an exit
// status and never panics. (A case the script would loop on is refused;
// one that runs long, such as a disk turning a millionth of a degree per
// tick, is bounded.)
func FuzzTools(f *testing.F) {
	cases, err := ostepcase.Load(filepath.Join("testdata", "*", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		f.Add(strings.TrimSuffix(c.Tool, ".py"), strings.Join(c.Args, " "))
	}
	f.Fuzz(func(t *testing.T, tool, args string) {
		for _, tl := range Tools {
			if tl.Name == tool {
				if st := tl.Main(strings.Fields(args), io.Discard, io.Discard); st < 0 || st > 2 {
					t.Errorf("%s %s: status %d", tool, args, st)
				}
			}
		}
	})
}
