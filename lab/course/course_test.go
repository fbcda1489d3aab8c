package course

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite hashes.go from the tree's test files")

const repo = "../.."

func TestLabsTable(t *testing.T) {
	if len(Labs) < 10 {
		t.Errorf("len(Labs) = %d, want at least 10", len(Labs))
	}
	seen := map[string]bool{}
	for _, l := range Labs {
		if seen[l.Name] {
			t.Errorf("lab %q twice", l.Name)
		}
		seen[l.Name] = true
		if s, err := Statement(l.Name); err != nil || len(s) < 400 {
			t.Errorf("Statement(%q) = %d bytes, %v; want a statement", l.Name, len(s), err)
		}
		total := 0
		for _, c := range l.Checks {
			total += c.Points
			kinds := 0
			for _, set := range []bool{c.Pkg != "", c.Golden != "", c.Report != "", c.Contains != ""} {
				if set {
					kinds++
				}
			}
			if kinds != 1 || c.Timeout <= 0 || c.Points <= 0 {
				t.Errorf("%s / %s: %d kinds, timeout %v, %d points; want one kind, a timeout and points", l.Name, c.Name, kinds, c.Timeout, c.Points)
			}
			if c.Golden != "" {
				if _, err := Grading.ReadFile("grading/" + c.Golden); err != nil {
					t.Errorf("%s / %s: %v", l.Name, c.Name, err)
				}
			}
			if c.Pkg != "" {
				checkRunMatches(t, l.Name, c)
			}
		}
		if total != 100 {
			t.Errorf("lab %s: points add up to %d, want 100", l.Name, total)
		}
	}
}

// checkRunMatches requires every alternative of c.Run to name a test of
// c.Files, so that a renamed test cannot make a check vacuous.
func checkRunMatches(t *testing.T, lab string, c Check) {
	var src strings.Builder
	for _, f := range c.Files {
		b, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			t.Errorf("%s / %s: %v", lab, c.Name, err)
		}
		src.Write(b)
	}
	for _, alt := range strings.Split(c.Run, "|") {
		if !regexp.MustCompile(`(?m)^func ` + alt + `\w*\(t \*testing\.T\)`).MatchString(src.String()) {
			t.Errorf("%s / %s: no test %s in %v", lab, c.Name, alt, c.Files)
		}
	}
}

// Every stub of every lab applies to today's tree and leaves valid Go
// that no longer holds the reference code.
func TestStubsApply(t *testing.T) {
	for _, l := range Labs {
		for _, s := range l.Stubs {
			src, err := os.ReadFile(filepath.Join(repo, s.File))
			if err != nil {
				t.Fatal(err)
			}
			out, err := StubFile(s.File, src, l.Name, s.Funcs)
			if err != nil {
				t.Errorf("StubFile(%s) = %v", s.File, err)
				continue
			}
			if _, err := parser.ParseFile(token.NewFileSet(), s.File, out, 0); err != nil {
				t.Errorf("StubFile(%s) is not Go: %v", s.File, err)
			}
			if n := strings.Count(string(out), `panic("lab `+l.Name+`: TODO")`); n != len(s.Funcs) {
				t.Errorf("StubFile(%s) has %d TODO panics, want %d", s.File, n, len(s.Funcs))
			}
		}
	}
}

func TestStubFile(t *testing.T) {
	src := `package p

import (
	"fmt"
	"strings"
)

// T is a type.
type T struct{}

// Work does it. LECTURE: work
func (t *T) Work(s string) (int, error) {
	// the secret: count the words
	return len(strings.Fields(s)), fmt.Errorf("none")
}

func Keep() string { return strings.ToUpper("x") }
`
	out, err := StubFile("p.go", []byte(src), "demo", []string{"T.Work"})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{`panic("lab demo: TODO")`, "// Work does it. LECTURE: work", `"strings"`, "func Keep()"} {
		if !strings.Contains(got, want) {
			t.Errorf("StubFile() lacks %q:\n%s", want, got)
		}
	}
	for _, gone := range []string{`"fmt"`, "the secret", "Fields"} {
		if strings.Contains(got, gone) {
			t.Errorf("StubFile() still holds %q:\n%s", gone, got)
		}
	}
	if _, err := StubFile("p.go", []byte(src), "demo", []string{"T.Missing"}); err == nil {
		t.Error("StubFile() of a missing function: no error")
	}
}

// TestHashes: the grader's record of the test files its checks rely on is
// the tree's (-rewrite regenerates hashes.go).
func TestHashes(t *testing.T) {
	files := map[string]string{}
	for _, l := range Labs {
		for _, c := range l.Checks {
			for _, f := range c.Files {
				b, err := os.ReadFile(filepath.Join(repo, f))
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(b)
				files[f] = hex.EncodeToString(sum[:])
			}
		}
	}
	if *rewrite {
		var names []string
		for f := range files {
			names = append(names, f)
		}
		sort.Strings(names)
		var b strings.Builder
		b.WriteString("package course\n\n// testFileHashes are the SHA-256 sums of the test files the checks rely on,\n// as the grader knows them. Regenerate with `go test ./lab/course -run\n// Hashes -rewrite` after changing one of those tests, and review the diff.\nvar testFileHashes = map[string]string{\n")
		for _, f := range names {
			fmt.Fprintf(&b, "\t%q: %q,\n", f, files[f])
		}
		b.WriteString("}\n")
		src, err := format.Source([]byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("hashes.go", src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for f, sum := range files {
		if testFileHashes[f] != sum {
			t.Errorf("testFileHashes[%q] = %q, want %q (go test ./lab/course -run Hashes -rewrite)", f, testFileHashes[f], sum)
		}
	}
}
