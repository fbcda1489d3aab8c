package tests

// The scenario runner. A scenario file, testdata/*.txt, is a list of blocks
// separated by blank lines, as in etcd-raft's and CockroachDB's datadriven
// tests:
//
//	# a comment, outside any block
//	run --mode micro --crash-at 4      ← the command line
//	----                               ← the fence
//	mkos micro mode, …                 ← the expected transcript, up to a blank line
//
// A command may take input lines between its command line and the fence
// (the YAML of `config`). A transcript that itself holds blank lines (the
// summary does) sits between a doubled fence, `----` `----` … `----`
// `----`. Trailing spaces are trimmed from every transcript line.
//
// The commands drive the real code paths:
//
//	config              parse the YAML input with boot.Parse (over the
//	                    defaults, not over an earlier config); print ok or the
//	                    error. A config that parses becomes the base of the
//	                    file's next run and trace commands (an empty config
//	                    resets the base to boot.Default()).
//	run <flags>         the flags of `mkos run` (mode, seed, cpus, policy,
//	                    quantum, hz, profile, clients, calls, crash-at,
//	                    max-time) over the base; boot, run, print the summary
//	                    (Summary.Write) and, if the system halted, a line
//	                    `halted: <error>`. A configuration error prints
//	                    `error: <error>`.
//	trace <flags> [kinds=a,b] [from=T] [limit=N]
//	                    run as `run` does with a kernel.Recorder and print the
//	                    events of the given kinds (default all) from virtual
//	                    time T (a duration, default 0) as a message sequence
//	                    chart (see chart below); limit defaults to 40, 0
//	                    prints all.
//	diskio <flags> reads=B,B,…
//	                    boot with the base's disk: section (the demo
//	                    clients do not run) and read one block per B, each
//	                    from its own client: the first at once, the others
//	                    100µs later in list order, queued behind it. Print
//	                    the reads' outcome, the driver's counters and the
//	                    disk line (scenario_disk_test.go).
//	programs <flags> -- CMD; CMD; …
//	                    boot the base and run the commands, programs of
//	                    user/programs' Registry (svc, crash, sleep, …),
//	                    one after another from one task; print each after
//	                    "$ " with its output, then the run's restarts
//	                    (scenario_programs_test.go).
//	sockets [--mode M] [--crash]
//	                    a TCP echo over the loopback through the net
//	                    server, each socket call with its time and result,
//	                    netstat in the middle; --crash crashes net while a
//	                    read waits in it (scenario_net_test.go).
//	sh [--modes=a,b] <flags>
//	                    run the input lines as a shell script (sh -c) on a
//	                    booted system with user space, in each mode (all
//	                    three by default); print its output, its errors
//	                    marked "! ", and its status (scenario_sh_test.go);
//	                    --user NAME runs the shell as that user.
//
// run, trace and diskio also take --disk-kind and --iosched, which change
// the base's disk: section.
//
// `go test ./tests -run Scenario -rewrite` rewrites every transcript in place.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/tracefmt"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected transcripts of testdata/*.txt in place")

// TestMain checks that no run leaves a task's coroutine behind (the
// js/wasm runtime's own event handler is not ours).
func TestMain(m *testing.M) {
	boot.ChildMain() // process_test.go's server processes
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("runtime.handleEvent"))
}

func TestScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no scenario files in testdata")
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			t.Parallel()
			runScenarioFile(t, path)
		})
	}
}

// TestScenarioFilesRoundTrip checks the parser and the rewriter against
// each other: a file rebuilt from its own transcripts is the same file, so
// -rewrite changes transcripts and nothing else.
func TestScenarioFilesRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	require.NoError(t, err)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		lines, blocks, err := parseScenario(path, string(data))
		require.NoError(t, err)
		outs := make([]string, len(blocks))
		for i, b := range blocks {
			outs[i] = b.want
		}
		assert.Equal(t, string(data), rebuild(lines, blocks, outs), "%s: rebuilt from its own transcripts", path)
	}
}

func TestScenarioParser(t *testing.T) {
	text := "# c\nrun --mode mono\n----\nout\n\nconfig\nmode: micro\n----\n----\na\n\nb\n----\n----\n\nrun\n----\n"
	lines, blocks, err := parseScenario("x.txt", text)
	require.NoError(t, err)
	require.Len(t, blocks, 3)
	assert.Equal(t, block{line: 2, cmd: "run --mode mono", want: "out\n", start: 2, end: 4}, blocks[0])
	assert.Equal(t, []string{"mode: micro"}, blocks[1].input)
	assert.Equal(t, "a\n\nb\n", blocks[1].want)
	assert.Equal(t, "", blocks[2].want)
	assert.Equal(t, text, rebuild(lines, blocks, []string{"out\n", "a\n\nb\n", ""}))
	assert.Equal(t, strings.Replace(text, "out\n", "one\ntwo\n", 1), rebuild(lines, blocks, []string{"one\ntwo\n", "a\n\nb\n", ""}))

	for name, bad := range map[string]string{
		"no fence":         "run\n",
		"blank in input":   "config\nmode: micro\n\n----\nok\n",
		"open double":      "run\n----\n----\nx\n",
		"text after fence": "run\n----\n----\nx\n----\n----\ny\n",
	} {
		_, _, err := parseScenario("x.txt", bad)
		assert.Error(t, err, name)
	}
}

// runScenarioFile runs every block of the file at path, compares each
// transcript, and rewrites the file when -rewrite is given.
func runScenarioFile(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines, blocks, err := parseScenario(path, string(data))
	require.NoError(t, err)
	require.NotEmpty(t, blocks, "%s has no blocks", path)
	require.True(t, strings.HasPrefix(string(data), "#"), "%s must open with a # comment saying what it shows", path)
	sc := &scenario{base: boot.Default()}
	outs := make([]string, len(blocks))
	for i, b := range blocks {
		out, err := sc.exec(&b)
		require.NoError(t, err, "%s:%d: %s", path, b.line, b.cmd)
		outs[i] = normalize(out)
		if !*rewrite {
			assert.Equal(t, b.want, outs[i], "%s:%d: %s", path, b.line, b.cmd)
		}
	}
	if *rewrite {
		require.NoError(t, os.WriteFile(path, []byte(rebuild(lines, blocks, outs)), 0o644))
	}
}

// block is one command of a scenario file and its expected transcript.
type block struct {
	line  int      // line number of the command, from 1
	cmd   string   // the command line
	input []string // lines between the command line and the fence
	want  string   // the expected transcript, normalized
	// start and end bound the lines [start, end) that hold the fence and
	// the transcript: what a rewrite replaces.
	start, end int
}

const fence = "----"

// parseScenario splits a scenario file into its lines and its blocks.
func parseScenario(path, text string) ([]string, []block, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	var blocks []block
	for i := 0; i < len(lines); {
		if blank(lines[i]) || strings.HasPrefix(lines[i], "#") {
			i++
			continue
		}
		b := block{line: i + 1, cmd: lines[i]}
		for i++; i < len(lines) && lines[i] != fence; i++ {
			if blank(lines[i]) {
				return nil, nil, fmt.Errorf("%s:%d: blank line before the %s fence of %q", path, i+1, fence, b.cmd)
			}
			b.input = append(b.input, lines[i])
		}
		if i == len(lines) {
			return nil, nil, fmt.Errorf("%s:%d: %q has no %s fence", path, b.line, b.cmd, fence)
		}
		b.start = i
		var out []string
		var err error
		out, i, err = transcript(lines, i+1)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %q: %w", path, b.line, b.cmd, err)
		}
		b.want, b.end = joinLines(out), i
		blocks = append(blocks, b)
	}
	return lines, blocks, nil
}

// transcript reads the transcript that starts at line i, just after the
// fence, and returns it and the index of the line after it.
func transcript(lines []string, i int) ([]string, int, error) {
	var out []string
	if i >= len(lines) || lines[i] != fence {
		for ; i < len(lines) && !blank(lines[i]); i++ {
			out = append(out, lines[i])
		}
		return out, i, nil
	}
	for i++; ; i++ {
		if i+1 >= len(lines) {
			return nil, 0, errors.New("the doubled fence is never closed")
		}
		if lines[i] == fence && lines[i+1] == fence {
			break
		}
		out = append(out, lines[i])
	}
	i += 2
	if i < len(lines) && !blank(lines[i]) {
		return nil, 0, fmt.Errorf("line %d: a blank line must follow the closing fence", i+1)
	}
	return out, i, nil
}

// rebuild returns the file made of lines with each block's transcript
// replaced by outs[i], fenced singly or doubly as it needs.
func rebuild(lines []string, blocks []block, outs []string) string {
	var sb strings.Builder
	prev := 0
	for i, b := range blocks {
		for _, l := range lines[prev:b.start] {
			sb.WriteString(l + "\n")
		}
		sb.WriteString(fenced(outs[i]))
		prev = b.end
	}
	for _, l := range lines[prev:] {
		sb.WriteString(l + "\n")
	}
	return sb.String()
}

// fenced returns out behind its fence: doubled when out holds a blank line.
func fenced(out string) string {
	if !strings.Contains("\n"+out, "\n\n") {
		return fence + "\n" + out
	}
	return fence + "\n" + fence + "\n" + out + fence + "\n" + fence + "\n"
}

// normalize trims trailing spaces from every line and blank lines from the
// end, so that transcripts survive editors.
func normalize(out string) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return joinLines(lines)
}

// joinLines joins lines with newlines, dropping trailing blank lines, and
// ends a non-empty result with a newline.
func joinLines(lines []string) string {
	for len(lines) > 0 && blank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// scenario is the state of one file's run: the base configuration that
// run and trace start from.
type scenario struct {
	base boot.Config
}

// exec runs one block and returns its transcript. The error is a mistake
// in the scenario file itself (an unknown command or flag).
func (s *scenario) exec(b *block) (string, error) {
	args := strings.Fields(b.cmd)
	if len(b.input) > 0 && args[0] != "config" && args[0] != "sh" {
		return "", fmt.Errorf("%s takes no input lines", args[0])
	}
	switch args[0] {
	case "config":
		return s.config(b.input), nil
	case "run":
		return s.run(args[1:])
	case "trace":
		return s.trace(args[1:])
	case "diskio":
		return s.diskio(args[1:])
	case "sh":
		return s.sh(args[1:], b.input)
	case "programs":
		return s.programs(args[1:])
	case "sockets":
		return s.sockets(args[1:])
	}
	return "", fmt.Errorf("unknown command %q (have config, run, trace, diskio, sh, programs, sockets)", args[0])
}

// config parses the YAML input as a boot file; it becomes the base.
func (s *scenario) config(input []string) string {
	cfg, err := boot.Parse([]byte(strings.Join(input, "\n")))
	if err != nil {
		return err.Error()
	}
	s.base = cfg
	return "ok"
}

// run boots and runs the system and prints its summary.
func (s *scenario) run(args []string) (string, error) {
	cfg, rest, err := s.flags("run", args)
	if err != nil {
		return "", err
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("run: unexpected arguments %q", rest)
	}
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return "error: " + err.Error(), nil
	}
	sum, runErr := sys.Run()
	var sb strings.Builder
	sum.Write(&sb)
	if runErr != nil {
		fmt.Fprintf(&sb, "halted: %v\n", runErr)
	}
	return sb.String(), nil
}

// trace boots and runs the system with a recorder and prints a chart of the
// selected events.
func (s *scenario) trace(args []string) (string, error) {
	cfg, rest, err := s.flags("trace", args)
	if err != nil {
		return "", err
	}
	opts, err := tracefmt.ParseOptions(rest, 40)
	if err != nil {
		return "", err
	}
	var rec kernel.Recorder
	sys, err := boot.Boot(cfg, &rec)
	if err != nil {
		return "error: " + err.Error(), nil
	}
	_, runErr := sys.Run()
	var sb strings.Builder
	tracefmt.NewChart().Write(&sb, rec.Events, opts)
	if runErr != nil {
		fmt.Fprintf(&sb, "halted: %v\n", runErr)
	}
	return sb.String(), nil
}

// flags applies the flags of `mkos run` to a copy of the base, the way
// cmd/mkos/run.go's configure does: a flag that is given overrides the
// configuration. It returns the arguments after the flags.
func (s *scenario) flags(name string, args []string) (boot.Config, []string, error) {
	cfg := s.base
	cfg.Servers = append([]boot.ServerConf(nil), s.base.Servers...)
	cfg.Links = append([]boot.LinkConf(nil), s.base.Links...)
	if s.base.Disk != nil {
		d := *s.base.Disk
		cfg.Disk = &d
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("mode", "", func(v string) error { cfg.Mode = boot.Mode(v); return nil })
	fs.Func("seed", "", func(v string) (err error) { cfg.Seed, err = strconv.ParseUint(v, 10, 64); return err })
	intFlag(fs, "cpus", &cfg.CPUs)
	fs.Func("policy", "", func(v string) error { cfg.Policy = v; return nil })
	intFlag(fs, "quantum", &cfg.QuantumTicks)
	intFlag(fs, "hz", &cfg.HZ)
	fs.Func("profile", "", func(v string) error { cfg.Profile = v; return nil })
	intFlag(fs, "clients", &cfg.Workload.Clients)
	intFlag(fs, "calls", &cfg.Workload.Calls)
	intFlag(fs, "crash-at", &cfg.Workload.CrashAt)
	fs.Func("max-time", "", func(v string) error {
		d, err := time.ParseDuration(v)
		cfg.MaxTime = boot.Duration(d)
		return err
	})
	fs.Func("user", "", func(v string) error { cfg.User = v; return nil })
	diskFlag(fs, "disk-kind", &cfg, func(d *boot.DiskConf, v string) { d.Kind = v })
	diskFlag(fs, "iosched", &cfg, func(d *boot.DiskConf, v string) { d.IOSched = v })
	if err := fs.Parse(args); err != nil {
		return cfg, nil, fmt.Errorf("%s: %w", name, err)
	}
	return cfg, fs.Args(), nil
}

func intFlag(fs *flag.FlagSet, name string, p *int) {
	fs.Func(name, "", func(v string) (err error) { *p, err = strconv.Atoi(v); return err })
}
