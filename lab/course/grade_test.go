package course

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The whole path a course takes, on the disk lab: the handout builds and
// fails the grader with the TODO panics as messages, an edited test file
// is caught, and the reference tree gets full marks.
func TestHandoutFailsAndReferencePasses(t *testing.T) {
	lab, err := Find("disk")
	if err != nil {
		t.Fatal(err)
	}
	root, err := Root(".")
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "handout")
	if err := Handout(root, dst, lab); err != nil {
		t.Fatalf("Handout() = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dst, "LAB.md")); err != nil {
		t.Errorf("handout has no LAB.md: %v", err)
	}
	test := filepath.Join(dst, "drivers/disk/driver_test.go")
	b, _ := os.ReadFile(test)
	os.WriteFile(test, append(b, []byte("\n// edited\n")...), 0o644)
	r, err := (&Grader{Tree: dst}).Grade(lab)
	if err != nil {
		t.Fatal(err)
	}
	if r.Score != 0 || r.Max != 100 {
		t.Errorf("Grade(handout) = %d/%d, want 0/100", r.Score, r.Max)
	}
	if msg := r.Results[2].Message; !strings.Contains(msg, "driver_test.go is not the grader's version") {
		t.Errorf("an edited test file: message %q, want it caught", msg)
	}
	if msg := r.Results[0].Message; !strings.Contains(msg, "panic: lab disk: TODO") {
		t.Errorf("a stubbed function: message %q, want its panic", msg)
	}
	r, err = (&Grader{Tree: root}).Grade(lab)
	if err != nil {
		t.Fatal(err)
	}
	if r.Score != r.Max {
		t.Errorf("Grade(reference) = %d/%d, want full marks: %+v", r.Score, r.Max, r.Results)
	}
}

func TestRunTimesOut(t *testing.T) {
	g := &Grader{Tree: t.TempDir()}
	start := time.Now()
	_, err := g.run(50*time.Millisecond, "sleep", "10")
	if err == nil || !strings.Contains(err.Error(), "timed out") || time.Since(start) > 8*time.Second {
		t.Errorf("run(sleep 10) with a 50ms timeout = %v; want a timeout", err)
	}
}

func TestReportCheck(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "labs"), 0o755)
	g := &Grader{Tree: dir, bin: "echo"}
	c := &Check{Report: "labs/r.md", Args: []string{"line one"}, Timeout: time.Minute}
	for _, tt := range []struct{ name, text, want string }{
		{"missing output", "## Q\n" + strings.Repeat("word ", 20), "lacks this line"},
		{"short answer", "line one\n## Q\ntoo short\n", "is not answered"},
		{"no headings", "line one\n", "no \"## \" question headings"},
		{"good", "line one\n## Q\n" + strings.Repeat("word ", 20), ""},
	} {
		c.Only = ""
		os.WriteFile(filepath.Join(dir, "labs/r.md"), []byte(tt.text), 0o644)
		if got := g.report(c); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: report() = %q, want %q", tt.name, got, tt.want)
		}
	}
	c.Only = "^nothing"
	os.WriteFile(filepath.Join(dir, "labs/r.md"), []byte("## Q\n"+strings.Repeat("word ", 20)), 0o644)
	if got := g.report(c); got != "" {
		t.Errorf("report() with no line selected by Only = %q, want a pass", got)
	}
}
