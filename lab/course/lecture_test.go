package course

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLectures(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/mkos/mkos\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "k"), 0o755)
	os.WriteFile(filepath.Join(dir, "k/k.go"), []byte(`package k

// Send is the rendezvous. LECTURE: send
func Send() int {
	return 1
}

func Other() {
	// inside a body. LECTURE: inside
	_ = 2
}

// LECTURE: before-var
// the table.
var table = map[string]int{"a": 1}
`), 0o644)
	ms, err := Lectures(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Marker{}
	for _, m := range ms {
		got[m.Name] = m
	}
	for _, tt := range []struct{ name, has string }{
		{"send", "func Send() int {\n\treturn 1\n}"},
		{"inside", "func Other() {"},
		{"before-var", `var table = map[string]int{"a": 1}`},
	} {
		if m, ok := got[tt.name]; !ok || !strings.Contains(m.Code, tt.has) || m.File != "k/k.go" {
			t.Errorf("Lectures()[%s] = %+v, want code holding %q", tt.name, m, tt.has)
		}
	}
	if got["send"].Line != 3 {
		t.Errorf("send's line = %d, want 3", got["send"].Line)
	}
	if _, err := FindLecture(ms, "nope"); err == nil {
		t.Error("FindLecture(nope): no error")
	}
}

// The real tree has markers, each with code.
func TestTreeLectures(t *testing.T) {
	ms, err := Lectures(repo)
	if err != nil || len(ms) < 20 {
		t.Fatalf("Lectures(repo) = %d markers, %v; want the tree's", len(ms), err)
	}
	for _, m := range ms {
		if strings.Count(m.Code, "\n") < 1 {
			t.Errorf("marker %s at %s:%d labels no code: %q", m.Name, m.File, m.Line, m.Code)
		}
	}
}
