package ostepfs

import (
	"bytes"
	"io"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/ostepcase"
)

// TestMkosNotes checks the --mkos notes: the script's output is unchanged
// before them, and they say what mkos's file server allocated and freed
// for the same operations.
func TestMkosNotes(t *testing.T) {
	tests := []struct {
		name string
		main func([]string, io.Writer, io.Writer) int
		args string
		want []string // starts of lines of the note, spaces collapsed
	}{
		{"vsfs mkdir takes an inode and a block", Vsfs, "-s 16 -n 6 -c", []string{
			`creat("/y") allocates inode 2`, `mkdir("/f") allocates inode 4, block 112`}},
		{"vsfs link and unlink count links", Vsfs, "-s 2 -n 10 -c -i 16 -d 16", []string{
			`unlink("/c/h") inode 3 has 1 link(s)`, `unlink("/c/p") frees inode 3`}},
		{"vsfs unlink frees the file's block", Vsfs, "-s 3 -n 10 -r -i 16 -d 16", []string{
			`unlink("/s") frees inode 3, block 111`}},
		{"lfs writes in place after the journal", Lfs, "-c -L c,/foo:w,/foo,0,1:d,/d:l,/foo,/d/bar:r,/foo:w,/nope,0,1", []string{
			`creat("/foo") allocates inode 2; writes`, `write("/foo", block 0, 1 block(s)) allocates block 111; writes`,
			`mkdir("/d") allocates inode 3, block 112; writes`, `unlink("/foo") writes`,
			`write("/nope", block 0, 1 block(s)) fails on mkos: no such file or directory`}},
		{"ffs files sit together whatever their directory", Ffs, "-f testdata/ffs/inputs/in.example1", []string{
			`mkdir("/b") allocates inode 3, block 112`, `creat("/a/e"), 2 block(s) allocates inode 6, blocks 117-118`,
			`creat("/b/f"), 2 block(s) allocates inode 7, blocks 119-120`}},
		{"ffs deletes free the blocks", Ffs, "-f testdata/ffs/inputs/mkos.delete", []string{
			`unlink("/a") frees inode 2, block 111`, `creat("/c"), 3 block(s) allocates inode 4, blocks 113-115`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var plain, with, errw bytes.Buffer
			args := strings.Fields(tt.args)
			if st := tt.main(args, &plain, &errw); st != 0 {
				t.Fatalf("status %d without --mkos (%s)", st, errw.String())
			}
			if st := tt.main(append(args, "--mkos"), &with, &errw); st != 0 {
				t.Fatalf("status %d with --mkos (%s)", st, errw.String())
			}
			script, note, ok := strings.Cut(with.String(), "\nmkos (--mkos)")
			if !ok || script+"\n" != plain.String() {
				t.Fatalf("the output before the note differs from the script's (note found: %v)", ok)
			}
			var lines []string
			for _, l := range strings.Split(note, "\n") {
				lines = append(lines, strings.Join(strings.Fields(l), " "))
			}
			for _, w := range tt.want {
				if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, w) }) {
					t.Errorf("note has no line starting %q; note:\n%s", w, note)
				}
			}
		})
	}
}

// TestRaidOnMkos runs raid.py's timing workloads of one-block requests
// through mkos's disk driver (--mkos): each member serves exactly the
// I/Os raid.py counts for that disk, reads and writes together.
func TestRaidOnMkos(t *testing.T) {
	pyIOs := regexp.MustCompile(`(?m)^disk:(\d+) .*I/Os: +(\d+) `)
	mkosOps := regexp.MustCompile(`(?m)^  disk (\d+): (\d+) reads, (\d+) writes`)
	for _, name := range []string{"timing-l0-c", "timing-l1-c", "timing-l4-c", "timing-l5-c", "timing-l4-w100-c", "timing-l5-w100-c", "timing-d8-c"} {
		t.Run(name, func(t *testing.T) {
			saved, err := ostepcase.Load(filepath.Join("testdata", "raid", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			var out, errw bytes.Buffer
			if st := Raid(append(saved[0].Args, "--mkos"), &out, &errw); st != 0 {
				t.Fatalf("status %d (%s)", st, errw.String())
			}
			want := map[string]int{}
			for _, m := range pyIOs.FindAllStringSubmatch(saved[0].Out, -1) {
				want[m[1]], _ = strconv.Atoi(m[2])
			}
			got := map[string]int{}
			for _, m := range mkosOps.FindAllStringSubmatch(out.String(), -1) {
				r, _ := strconv.Atoi(m[2])
				w, _ := strconv.Atoi(m[3])
				got[m[1]] = r + w
			}
			if len(want) == 0 || !maps.Equal(got, want) {
				t.Errorf("member operations = %v, want raid.py's I/Os %v", got, want)
			}
		})
	}
}
