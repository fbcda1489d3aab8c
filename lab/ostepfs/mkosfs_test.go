package ostepfs

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
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
