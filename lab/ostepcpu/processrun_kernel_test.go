package ostepcpu

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// newTestMachine loads programs (-P's syntax) or random processes (-l's).
func newTestMachine(t *testing.T, program, list string, seed, ioLength int64, onEnd, immediate bool) (*machine, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	m := &machine{switchOnEnd: onEnd, runImmediate: immediate, ioLength: ioLength, out: &out}
	if err := m.loadAll(pyrand.New(seed), program, list); err != nil {
		t.Fatal(err)
	}
	return m, &out
}

// TestProcessRunOnKernel runs processes on the kernel with a tracer and
// checks that the trace printed is the kernel's: one task spawned per
// process, each task's death at the tick from which the trace says DONE,
// and every context switch to a task in a tick where the trace shows it
// running.
func TestProcessRunOnKernel(t *testing.T) {
	tests := []struct {
		name, program  string
		ioLength       int64
		onEnd, immed   bool
		wantDeathTicks []int64 // the last tick of each, as process-run.py prints it
	}{
		{"switch on io, run later", "c2,i,c1:c3:i,c1", 3, false, false, []int64{9, 6, 12}},
		{"switch on end", "c2,i,c1:c3:i,c1", 3, true, false, []int64{8, 11, 17}},
		{"run immediate", "c1,i,c4:c5:c1", 2, false, true, []int64{9, 12, 13}},
		{"io of length 0", "i,c1:c2", 0, false, false, []int64{5, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newTestMachine(t, tt.program, "", 0, tt.ioLength, tt.onEnd, tt.immed)
			var rec kernel.Recorder
			m.trace = &rec
			var rows [][]procView
			_, err := m.runOnKernel(func(r []procView) { rows = append(rows, r) })
			if err != nil {
				t.Fatal(err)
			}
			pidOf := map[ipc.Endpoint]int{}
			var deaths []int64
			for _, e := range rec.Events {
				switch e.Kind {
				case kernel.EvSpawn:
					if e.Name != fmt.Sprintf("pid%d", len(pidOf)) {
						t.Errorf("spawn %d is %q, want pid%d", len(pidOf), e.Name, len(pidOf))
					}
					pidOf[e.Task] = len(pidOf)
					deaths = append(deaths, -1)
				case kernel.EvDeath:
					pid := pidOf[e.Task]
					deaths[pid] = e.T / instrNs
					if e.T%instrNs != 0 || doneFrom(rows, pid) != deaths[pid] {
						t.Errorf("task pid%d died at %d ns; the trace says DONE from tick %d", pid, e.T, doneFrom(rows, pid)+1)
					}
				case kernel.EvSwitch:
					pid, ok := pidOf[e.Peer]
					if n := e.T / instrNs; ok && (n >= int64(len(rows)) || rows[n][pid].state != running) {
						t.Errorf("switch to pid%d at %d ns: the trace does not show it running in tick %d", pid, e.T, n+1)
					}
				}
			}
			if len(pidOf) != len(m.procs) {
				t.Errorf("tasks spawned = %d, want %d processes", len(pidOf), len(m.procs))
			}
			if fmt.Sprint(deaths) != fmt.Sprint(tt.wantDeathTicks) {
				t.Errorf("death ticks = %v, want %v", deaths, tt.wantDeathTicks)
			}
		})
	}
}

// doneFrom returns the first tick index (0-based) from which pid is DONE
// in rows, len(rows) if never.
func doneFrom(rows [][]procView, pid int) int64 {
	for n := len(rows); n > 0; n-- {
		if rows[n-1][pid].state != done {
			return int64(n)
		}
	}
	return 0
}

// TestKernelMatchesModel: for every switch and I/O behaviour and a range
// of random processes and I/O lengths, the trace read from the kernel is
// the book's model's (machine.run), byte for byte.
func TestKernelMatchesModel(t *testing.T) {
	lists := []string{"5:50", "3:0,4:100", "4:30,4:60,2:10", "6:70,1:0,3:40,5:50", "2:0,2:0"}
	for _, onEnd := range []bool{false, true} {
		for _, immed := range []bool{false, true} {
			for li, list := range lists {
				for _, ioLen := range []int64{0, 1, 2, 5} {
					name := fmt.Sprintf("end=%v/immediate=%v/list%d/L%d", onEnd, immed, li, ioLen)
					t.Run(name, func(t *testing.T) {
						km, kout := newTestMachine(t, "", list, int64(li)+3, ioLen, onEnd, immed)
						km.writeHeader()
						w := &traceWriter{m: km}
						kt, err := km.runOnKernel(w.row)
						if err != nil {
							t.Fatal(err)
						}
						kc, ki := w.cpuBusy, w.ioBusy
						bm, bout := newTestMachine(t, "", list, int64(li)+3, ioLen, onEnd, immed)
						bc, bi, bt, err := bm.run()
						if err != nil {
							t.Fatal(err)
						}
						if kout.String() != bout.String() || kc != bc || ki != bi || kt != bt {
							t.Errorf("kernel trace (%d %d %d) =\n%s\nwant the model's (%d %d %d)\n%s", kc, ki, kt, kout, bc, bi, bt, bout)
						}
					})
				}
			}
		}
	}
}
