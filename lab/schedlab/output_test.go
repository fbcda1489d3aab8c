package schedlab

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/mkos/mkos/lab/osteptool"
)

// --json carries each job's times, their averages and the schedule, and
// agrees with the text.
func TestWriteJSON(t *testing.T) {
	l, _, err := labFor("mlfq.py", []string{"-n", "2", "-q", "2", "-l", "0,4,2:1,3,0", "-i", "1"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := l.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got jsonResult
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if got.Tool != "mlfq.py" || got.Kernel.Policy != "mlfq" || got.Kernel.HZ != 1000 || got.Kernel.Profile != "ideal" {
		t.Errorf("tool %q, kernel %+v; want mlfq.py on mlfq at 1000 HZ, ideal", got.Tool, got.Kernel)
	}
	if len(got.Jobs) != 2 || len(got.Schedule) != len(got.Priority) || len(got.Schedule) == 0 {
		t.Fatalf("%d jobs, schedule %v, priority %v", len(got.Jobs), got.Schedule, got.Priority)
	}
	var text bytes.Buffer
	if err := l.WriteText(&text, true); err != nil {
		t.Fatal(err)
	}
	stats := regexp.MustCompile(`(?m)^  Job +(\d+): startTime +\d+ - response +(\d+) - turnaround +(\d+)$`)
	lines := stats.FindAllStringSubmatch(text.String(), -1)
	if len(lines) != len(got.Jobs) {
		t.Fatalf("%d statistics lines for %d jobs:\n%s", len(lines), len(got.Jobs), text.String())
	}
	for i, j := range got.Jobs {
		if want := fmt.Sprintf("%d %.0f %.0f", i, j.Response, j.Turnaround); strings.Join(lines[i][1:], " ") != want {
			t.Errorf("job %d: text says %v, JSON %s", i, lines[i][1:], want)
		}
		if j.Turnaround != j.CPU+j.IO+j.Wait {
			t.Errorf("job %d: turnaround %v != cpu %v + io %v + wait %v", i, j.Turnaround, j.CPU, j.IO, j.Wait)
		}
	}
}

// --gantt writes an SVG with a bar per slice.
func TestWriteGantt(t *testing.T) {
	tests := []struct {
		name     string
		tool     string
		args     []string
		wantBars int // runs, idle runs and I/Os
	}{
		{"fifo: one bar per job", "scheduler.py", []string{"-l", "3,1,2"}, 3},
		{"rr with fractions", "scheduler.py", []string{"-p", "RR", "-l", "1.5,1", "-q", "1"}, 3},
		{"mlfq: runs by priority, I/O and idle", "mlfq.py", []string{"-n", "2", "-q", "2", "-l", "0,3,1:5,1,0", "-i", "1"}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _, err := labFor(tt.tool, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := l.WriteGantt(&b); err != nil {
				t.Fatal(err)
			}
			bars, arrivals := 0, 0
			var open []string // the elements we are in
			d := xml.NewDecoder(&b)
			for {
				tok, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("not XML: %v", err)
				}
				switch tok := tok.(type) {
				case xml.StartElement:
					if n := len(open); tok.Name.Local == "title" && n > 0 && open[n-1] == "rect" {
						bars++
					}
					if tok.Name.Local == "path" {
						arrivals++
					}
					open = append(open, tok.Name.Local)
				case xml.EndElement:
					open = open[:len(open)-1]
				}
			}
			if bars != tt.wantBars || arrivals != len(l.Workload().Jobs) {
				t.Errorf("%d bars and %d arrivals, want %d and %d", bars, arrivals, tt.wantBars, len(l.Workload().Jobs))
			}
		})
	}
}

// Bad options fail with the tool's message or one that names the option.
func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		tool string
		args []string
		want string
	}{
		{"scheduler.py has no MLFQ", "scheduler.py", []string{"-p", "MLFQ"}, "mkos sched mlfq"},
		{"a zero quantum", "scheduler.py", []string{"-p", "RR", "-q", "0"}, "quantum 0"},
		{"a run time that is not a number", "scheduler.py", []string{"-l", "10,x"}, `"x" is not a run time`},
		{"more than three decimals", "scheduler.py", []string{"-l", "1.0001"}, "at most 3 decimals"},
		{"an mlfq job of three fields", "mlfq.py", []string{"-l", "0,10"}, "Badly formatted job string"},
		{"allotments and quanta differ in number", "mlfq.py", []string{"-Q", "1,2", "-A", "1"}, "must match number of quantums"},
		{"a lottery job without tickets", "lottery.py", []string{"-l", "10"}, "not run:tickets"},
		{"lottery.py would loop forever", "lottery.py", []string{"-m", "1"}, "at least 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := labFor(tt.tool, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestPyFloat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{{200, "200.0"}, {2.5, "2.5"}, {0, "0.0"}, {0.1, "0.1"}, {1e-05, "1e-05"}, {1e16, "1e+16"}, {123.456, "123.456"}}
	for _, tt := range tests {
		if got := osteptool.PyFloat(tt.f); got != tt.want {
			t.Errorf("PyFloat(%v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestTicksPerUnit(t *testing.T) {
	tests := []struct {
		lengths []float64
		want    int
	}{{[]float64{1, 2}, 1}, {[]float64{2.5, 1}, 10}, {[]float64{0.25, 0.1}, 100}, {[]float64{1.125}, 1000}, {[]float64{1.0001}, 0}}
	for _, tt := range tests {
		if got, _ := ticksPerUnitFor(tt.lengths); got != tt.want {
			t.Errorf("ticksPerUnitFor(%v) = %d, want %d", tt.lengths, got, tt.want)
		}
	}
}

// The agenda gives what is due in time order, same-time items in the
// order they came.
func TestAgenda(t *testing.T) {
	var a agenda
	a.add(5, item{job: 1, begin: true})
	a.add(3, item{job: 2})
	a.add(5, item{job: 0})
	a.add(9, item{job: 3})
	if got := a.due(2); len(got) != 0 {
		t.Errorf("due(2) = %v, want nothing", got)
	}
	got := a.due(5)
	if len(got) != 3 || got[0].job != 2 || got[1].job != 1 || got[2].job != 0 || a.n != 1 {
		t.Errorf("due(5) = %v, %d left; want jobs 2, 1, 0 and 1 left", got, a.n)
	}
}
