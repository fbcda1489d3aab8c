package sched

import (
	"fmt"
	"github.com/mkos/mkos/internal/ostepcase"
	"github.com/mkos/mkos/internal/textdiff"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/pyrand"
)

// The cases in testdata/ostep are the stdout of OSTEP's homework
// simulators, each under a first line "# command: python3 TOOL ARGS" (see
// testdata/ostep/README.md).

// ostepCase is one saved run of an OSTEP tool.
type ostepCase struct {
	name string
	tool string            // scheduler.py, mlfq.py or lottery.py
	opts map[string]string // option letter ("-s") to value ("" for flags)
	out  string            // the tool's stdout
}

// ostepFlags are the options that take no value, per tool.
var ostepFlags = map[string]string{
	"scheduler.py": "-c",
	"mlfq.py":      "-c -S -I",
	"lottery.py":   "-c",
}

// loadOSTEPCases reads every case in testdata/ostep.
func loadOSTEPCases(t *testing.T) []ostepCase {
	t.Helper()
	saved, err := ostepcase.Load("testdata/ostep/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var cases []ostepCase
	for _, sc := range saved {
		c := ostepCase{name: sc.Name, tool: sc.Tool, opts: map[string]string{}, out: sc.Out}
		args := append([]string{sc.Tool}, sc.Args...)
		for i := 1; i < len(args); i++ {
			if strings.Contains(ostepFlags[c.tool], args[i]) {
				c.opts[args[i]] = ""
				continue
			}
			c.opts[args[i]] = args[i+1]
			i++
		}
		cases = append(cases, c)
	}
	return cases
}

// str returns option o or def.
func (c ostepCase) str(o, def string) string {
	if v, ok := c.opts[o]; ok {
		return v
	}
	return def
}

// num returns integer option o or def.
func (c ostepCase) num(o string, def int) int {
	v, err := strconv.Atoi(c.str(o, strconv.Itoa(def)))
	if err != nil {
		panic(err)
	}
	return v
}

func (c ostepCase) flag(o string) bool { _, ok := c.opts[o]; return ok }

// random returns the case's random.random() stream.
func (c ostepCase) random() func() float64 {
	return pyrand.New(int64(c.num("-s", 0))).Random
}

func (c ostepCase) schedulerOpts() ostepSchedulerOpts {
	return ostepSchedulerOpts{policy: c.str("-p", "FIFO"), jobs: c.num("-j", 3), maxlen: c.num("-m", 10),
		seed: c.num("-s", 0), jlist: c.str("-l", ""), quantum: c.num("-q", 1)}
}

func (c ostepCase) lotteryOpts() ostepLotteryOpts {
	return ostepLotteryOpts{jlist: c.str("-l", ""), jobs: c.num("-j", 3), maxlen: c.num("-m", 10),
		maxtick: c.num("-T", 100), quantum: c.num("-q", 1), seed: c.num("-s", 0)}
}

func (c ostepCase) mlfqOpts() ostepMLFQOpts {
	return ostepMLFQOpts{numQueues: c.num("-n", 3), quantum: c.num("-q", 10), allotment: c.num("-a", 1),
		quantumList: c.str("-Q", ""), allotmentList: c.str("-A", ""),
		numJobs: c.num("-j", 3), maxlen: c.num("-m", 100), maxio: c.num("-M", 10),
		boost: c.num("-B", 0), ioTime: c.num("-i", 5), stay: c.flag("-S"), iobump: c.flag("-I"),
		jlist: c.str("-l", "")}
}

// TestOSTEPRandomJobs regenerates the random workloads of the seeded cases
// with pyrand, the way each tool draws them, and compares them with the
// job list the tool printed. It checks the Python random port, not the
// model.
func TestOSTEPRandomJobs(t *testing.T) {
	jobLine := map[string]*regexp.Regexp{
		"scheduler.py": regexp.MustCompile(`(?m)^  Job \d+ \( length = (\d+) \)$`),
		"lottery.py":   regexp.MustCompile(`(?m)^  Job \d+ \( length = (\d+), tickets = (\d+) \)$`),
		"mlfq.py":      regexp.MustCompile(`(?m)^  Job +\d+: startTime +0 - runTime +(\d+) - ioFreq +(\d+)$`),
	}
	n := 0
	for _, c := range loadOSTEPCases(t) {
		if c.flag("-l") {
			continue
		}
		n++
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for _, m := range jobLine[c.tool].FindAllStringSubmatch(c.out, -1) {
				want = append(want, strings.Join(m[1:], "/"))
			}
			if got := ostepRandomJobs(c); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("jobs (length/tickets or runTime/ioFreq) = %v, want %v", got, want)
			}
		})
	}
	if n == 0 {
		t.Fatal("no seeded cases")
	}
}

// ostepRandomJobs draws c's jobs as the tool does, formatted as the
// numbers its job list shows, joined by "/".
func ostepRandomJobs(c ostepCase) []string {
	r := pyrand.New(int64(c.num("-s", 0)))
	var jobs []string
	switch c.tool {
	case "scheduler.py":
		maxlen := float64(c.num("-m", 10))
		for range c.num("-j", 3) {
			jobs = append(jobs, strconv.Itoa(int(maxlen*r.Random())+1))
		}
	case "lottery.py":
		maxlen, maxtick := float64(c.num("-m", 10)), float64(c.num("-T", 100))
		for range c.num("-j", 3) {
			run, tix := 0, 0
			for run == 0 {
				run = int(maxlen * r.Random())
			}
			for tix == 0 {
				tix = int(maxtick * r.Random())
			}
			jobs = append(jobs, fmt.Sprintf("%d/%d", run, tix))
		}
	case "mlfq.py":
		maxlen, maxio := float64(c.num("-m", 100)-1), float64(c.num("-M", 10)-1)
		for range c.num("-j", 3) {
			run := int(float64(r.Random()*maxlen) + 1)
			io := int(float64(r.Random()*maxio) + 1)
			jobs = append(jobs, fmt.Sprintf("%d/%d", run, io))
		}
	}
	return jobs
}

// TestOSTEPModel checks that the pure model in ostep_model.go prints
// exactly what each tool printed.
func TestOSTEPModel(t *testing.T) {
	for _, c := range loadOSTEPCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var got string
			switch c.tool {
			case "scheduler.py":
				got = ostepScheduler(c.schedulerOpts(), c.random())
			case "lottery.py":
				got = ostepLottery(c.lotteryOpts(), c.random())
			case "mlfq.py":
				got = ostepMLFQ(c.mlfqOpts(), c.random())
			default:
				t.Fatalf("unknown tool %q", c.tool)
			}
			if got != c.out {
				t.Errorf("model output differs from %s at %s", c.tool, textdiff.FirstLine(got, c.out))
			}
		})
	}
}
