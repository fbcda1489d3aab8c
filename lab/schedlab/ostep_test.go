package schedlab

import (
	"fmt"
	"github.com/mkos/mkos/internal/ostepcase"
	"github.com/mkos/mkos/internal/textdiff"
	"strconv"
	"strings"
	"testing"
)

// The saved outputs of OSTEP's simulators (sched/testdata/ostep and
// testdata/ostep-extra and testdata/ostep-long with -c,
// testdata/ostep-homework without; see
// testdata/README.md) each start with the line "# command: python3 TOOL
// ARGS". These tests run the lab on the same arguments, through a real
// kernel run, and compare the output byte for byte.

// ostepCase is one saved run of an OSTEP tool.
type ostepCase struct {
	name string
	tool string   // scheduler.py, mlfq.py or lottery.py
	args []string // the arguments after the tool
	out  string   // the tool's stdout
}

// loadCases reads every case matching glob.
func loadCases(t *testing.T, glob string) []ostepCase {
	t.Helper()
	saved, err := ostepcase.Load(glob)
	if err != nil {
		t.Fatal(err)
	}
	var cases []ostepCase
	for _, sc := range saved {
		cases = append(cases, ostepCase{name: sc.Name, tool: sc.Tool, args: sc.Args, out: sc.Out})
	}
	return cases
}

// labFor builds the lab for a tool's command line, as `mkos sched` does,
// and reports whether it has -c.
func labFor(tool string, args []string) (*Lab, bool, error) {
	opts := map[string]string{}
	solve := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "-c":
			solve = true
		case "-S", "-I":
			opts[a] = "yes"
		default:
			if i+1 == len(args) {
				return nil, false, fmt.Errorf("%s needs a value", a)
			}
			opts[a] = args[i+1]
			i++
		}
	}
	num := func(o string, def int) int {
		if v, ok := opts[o]; ok {
			n, _ := strconv.Atoi(v)
			return n
		}
		return def
	}
	seed := int64(num("-s", 0))
	switch tool {
	case "scheduler.py":
		o := DefaultSchedulerOptions()
		o.Seed, o.Jobs, o.MaxLen, o.Quantum = seed, num("-j", o.Jobs), num("-m", o.MaxLen), num("-q", o.Quantum)
		o.Policy, o.JList = cmpOr(opts["-p"], o.Policy), opts["-l"]
		l, err := NewScheduler(o)
		return l, solve, err
	case "mlfq.py":
		o := DefaultMLFQOptions()
		o.Seed, o.NumQueues, o.Quantum, o.Allotment = seed, num("-n", o.NumQueues), num("-q", o.Quantum), num("-a", o.Allotment)
		o.QuantumList, o.AllotmentList, o.JList = opts["-Q"], opts["-A"], opts["-l"]
		o.NumJobs, o.MaxLen, o.MaxIO = num("-j", o.NumJobs), num("-m", o.MaxLen), num("-M", o.MaxIO)
		o.Boost, o.IOTime, o.Stay, o.IOBump = num("-B", o.Boost), num("-i", o.IOTime), opts["-S"] != "", opts["-I"] != ""
		l, err := NewMLFQ(o)
		return l, solve, err
	case "lottery.py":
		o := DefaultLotteryOptions()
		o.Seed, o.Jobs, o.MaxLen, o.MaxTicket, o.Quantum = seed, num("-j", o.Jobs), num("-m", o.MaxLen), num("-T", o.MaxTicket), num("-q", o.Quantum)
		o.JList = opts["-l"]
		l, err := NewLottery(o)
		return l, solve, err
	}
	return nil, false, fmt.Errorf("unknown tool %q", tool)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestOSTEPCases runs every saved case through the kernel and compares the
// lab's output with the tool's.
func TestOSTEPCases(t *testing.T) {
	var cases []ostepCase
	for _, glob := range []string{"../../sched/testdata/ostep/*.txt", "testdata/ostep-homework/*.txt", "testdata/ostep-extra/*.txt", "testdata/ostep-long/*.txt"} {
		cases = append(cases, loadCases(t, glob)...)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, solve, err := labFor(c.tool, c.args)
			if err != nil {
				t.Fatalf("%s %v: %v", c.tool, c.args, err)
			}
			var b strings.Builder
			if err := l.WriteText(&b, solve); err != nil {
				t.Fatalf("%s %v: %v", c.tool, c.args, err)
			}
			if got := b.String(); got != c.out {
				t.Errorf("%s %v: output differs from the tool's at %s", c.tool, c.args, textdiff.FirstLine(got, c.out))
			}
		})
	}
}
