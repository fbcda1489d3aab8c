package course

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/mkos/mkos/internal/textdiff"
)

// Result is one check's outcome.
type Result struct {
	Name    string  `json:"name"`
	Points  int     `json:"points"`
	Max     int     `json:"max"`
	Passed  bool    `json:"passed"`
	Message string  `json:"message,omitempty"` // why it failed
	Seconds float64 `json:"seconds"`           // host time it took
}

// Report is a lab's grade.
type Report struct {
	Lab     string   `json:"lab"`
	Score   int      `json:"score"`
	Max     int      `json:"max"`
	Results []Result `json:"results"`
}

// Grader runs a lab's checks on a tree. Go is the go command ("go" when
// empty); Progress, when set, gets each result's line as it comes.
type Grader struct {
	Tree     string
	Go       string
	Progress io.Writer
	bin      string // the mkos built from Tree
	buildErr error
}

// Grade runs every check of lab and returns the report.
func (g *Grader) Grade(lab *Lab) (*Report, error) {
	tmp, err := os.MkdirTemp("", "mkos-grade-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	g.bin = filepath.Join(tmp, "mkos")
	r := &Report{Lab: lab.Name}
	for _, c := range lab.Checks {
		if c.Pkg == "" && g.buildErr == nil && !fileExists(g.bin) {
			_, g.buildErr = g.run(5*time.Minute, g.goCmd(), "build", "-o", g.bin, "./cmd/mkos")
		}
		start := time.Now()
		msg := g.check(&c)
		res := Result{Name: c.Name, Max: c.Points, Passed: msg == "", Message: msg, Seconds: time.Since(start).Seconds()}
		if res.Passed {
			res.Points = c.Points
		}
		r.Results = append(r.Results, res)
		r.Score += res.Points
		r.Max += c.Points
		if g.Progress != nil {
			WriteResult(g.Progress, res)
		}
	}
	return r, nil
}

func (g *Grader) goCmd() string {
	if g.Go == "" {
		return "go"
	}
	return g.Go
}

// check runs one check; "" is a pass, else why it failed.
func (g *Grader) check(c *Check) string {
	for _, f := range c.Files {
		if msg := g.verify(f); msg != "" {
			return msg
		}
	}
	if c.Pkg != "" {
		out, err := g.run(c.Timeout, g.goCmd(), "test", "-count=1", "-run", c.Run, c.Pkg)
		switch {
		case err != nil:
			return failure(out, err)
		case strings.Contains(out, "no tests to run"):
			return "no test matches " + c.Run + " in " + c.Pkg
		}
		return ""
	}
	if g.buildErr != nil {
		return "mkos does not build: " + g.buildErr.Error()
	}
	switch {
	case c.Golden != "":
		return g.golden(c)
	case c.Report != "":
		return g.report(c)
	}
	out, err := g.run(c.Timeout, g.bin, c.Args...)
	if err != nil {
		return failure(out, err)
	}
	if !strings.Contains(out, c.Contains) {
		return fmt.Sprintf("mkos %s: output lacks %q", strings.Join(c.Args, " "), c.Contains)
	}
	return ""
}

// golden runs a saved OSTEP case through `mkos ostep` and compares.
func (g *Grader) golden(c *Check) string {
	data, err := Grading.ReadFile("grading/" + c.Golden)
	if err != nil {
		return "grader: " + err.Error()
	}
	first, want, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(strings.TrimPrefix(first, "# command: python3 "))
	args := append([]string{"ostep", strings.TrimSuffix(fields[0], ".py")}, fields[1:]...)
	out, err := g.run(c.Timeout, g.bin, args...)
	if err != nil {
		return failure(out, err)
	}
	if out != want {
		return "mkos " + strings.Join(args, " ") + ": " + firstDiff(out, want)
	}
	return ""
}

// report checks the student's report: the command's output in it, line
// by line, and an answer of 20 words or more under each "## " heading.
func (g *Grader) report(c *Check) string {
	text, err := os.ReadFile(filepath.Join(g.Tree, c.Report))
	if err != nil {
		return "no report: " + err.Error()
	}
	out, err := g.run(c.Timeout, g.bin, c.Args...)
	if err != nil {
		return failure(out, err)
	}
	only, err := regexp.Compile(c.Only)
	if err != nil {
		return "grader: " + err.Error()
	}
	for _, line := range strings.Split(out, "\n") {
		if l := strings.TrimSpace(line); l != "" && only.MatchString(line) && !strings.Contains(string(text), l) {
			return fmt.Sprintf("%s lacks this line of `mkos %s`: %q", c.Report, strings.Join(c.Args, " "), l)
		}
	}
	sections := strings.Split("\n"+string(text), "\n## ")
	if len(sections) < 2 {
		return c.Report + " has no \"## \" question headings"
	}
	for _, s := range sections[1:] {
		heading, body, _ := strings.Cut(s, "\n")
		if len(strings.Fields(body)) < 20 {
			return fmt.Sprintf("%s: %q is not answered (fewer than 20 words)", c.Report, heading)
		}
	}
	return ""
}

// verify reports a test file that is not as the grader recorded it.
func (g *Grader) verify(file string) string {
	data, err := os.ReadFile(filepath.Join(g.Tree, file))
	if err != nil {
		return "grader's test file missing: " + file
	}
	sum := sha256.Sum256(data)
	if want, ok := testFileHashes[file]; !ok || hex.EncodeToString(sum[:]) != want {
		return file + " is not the grader's version: restore it (git checkout " + file + ")"
	}
	return ""
}

// run runs a command in the tree with a timeout, no network and no module
// downloads, and returns its combined output.
func (g *Grader) run(timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = g.Tree
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local", "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	killGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return out.String(), fmt.Errorf("timed out after %s", timeout)
	}
	return out.String(), err
}

// failure says why a command failed: its failing tests, their messages
// and panics, or else its last lines.
func failure(out string, err error) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var panics, msgs, fails []string
	for _, l := range lines {
		switch t := strings.TrimSpace(l); {
		case strings.HasPrefix(t, "panic: "):
			panics = append(panics, t)
		case testMessage.MatchString(t):
			msgs = append(msgs, t)
		case strings.HasPrefix(t, "--- FAIL"):
			fails = append(fails, t)
		}
	}
	why := append(append(panics, msgs...), fails...)
	if len(why) > 0 {
		return strings.Join(why[:min(len(why), 6)], "\n")
	}
	return err.Error() + ": " + strings.Join(lines[max(0, len(lines)-4):], "\n")
}

// testMessage is a t.Error line: "file_test.go:12: message".
var testMessage = regexp.MustCompile(`^\w+_test\.go:\d+: `)

// firstDiff says, for a student, where got first differs from want.
func firstDiff(got, want string) string {
	if i, g, w, ok := textdiff.First(got, want); ok {
		return fmt.Sprintf("line %d is %q, want %q", i, g, w)
	}
	return "outputs differ"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// WriteResult prints one result as `make grade` does.
func WriteResult(w io.Writer, r Result) {
	status := "OK"
	if !r.Passed {
		status = "FAIL"
	}
	fmt.Fprintf(w, "%-58s %s (%.1fs) %d/%d\n", r.Name+":", status, r.Seconds, r.Points, r.Max)
	if !r.Passed {
		for _, l := range strings.Split(r.Message, "\n") {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
}
