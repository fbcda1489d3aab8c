package course

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/textdiff"
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

// TestLectureIndex: docs/lectures.md lists exactly the tree's markers,
// by name and file (-rewrite regenerates it, lines included, as `mkos
// lecture --markdown > docs/lectures.md` does; review the diff).
func TestLectureIndex(t *testing.T) {
	ms, err := Lectures(repo)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(repo, "docs", "lectures.md")
	if *rewrite {
		if err := os.WriteFile(path, []byte(LectureIndex(ms)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lineRe := regexp.MustCompile(`(?m)^\| ` + "`" + `([^` + "`" + `]+)` + "`" + ` \| \[([^:\]]+):\d+\]`)
	var got []string
	for _, m := range lineRe.FindAllStringSubmatch(string(b), -1) {
		got = append(got, m[1]+" "+m[2])
	}
	var want []string
	for _, m := range ms {
		want = append(want, m.Name+" "+m.File)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("docs/lectures.md lists %d markers, want the tree's %d: %s (go test ./lab/course -run LectureIndex -rewrite)",
			len(got), len(want), textdiff.FirstLine(strings.Join(got, "\n"), strings.Join(want, "\n")))
	}
}
