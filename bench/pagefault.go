package bench

import (
	"fmt"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// pagefaultPages is the working set of the pagefault workload: half again
// the kernel's default physical memory (1024 frames), so that a sweep over
// it faults on every page once memory is full.
const pagefaultPages = 1536

// pagefaultConfig boots only mm, placed by mode, with no demo workload.
func pagefaultConfig(mode boot.Mode) boot.Config {
	c := boot.Default()
	c.Mode = mode
	c.MaxTime = 0
	c.Servers = []boot.ServerConf{{Name: mmproto.Name, Placement: boot.DefaultHybrid[mmproto.Name]}}
	c.Workload = boot.WorkloadConf{}
	return c
}

// PageFault is a task sweeping a working set larger than physical memory:
// each operation is one store to the next page, which is not resident, so
// one operation is one page fault (mm evicts a dirty page to swap and
// reads the faulting page back). Host ns/op is host ns per fault; it
// reports virtual ns, messages and faults per operation.
func PageFault(mode boot.Mode) func(b *testing.B) {
	return func(b *testing.B) {
		r, err := pageFaults(mode, b.N, b)
		if err != nil {
			b.Fatal(err)
		}
		n := float64(b.N)
		b.ReportMetric(float64(r.virtualNs)/n, "virtual-ns/op")
		b.ReportMetric(float64(r.faults)/n, "faults/op")
		if r.faults > 0 {
			b.ReportMetric(float64(r.messages)/float64(r.faults), "msgs/fault")
		}
	}
}

// timer is the part of testing.B the workload drives.
type timer interface {
	ReportAllocs()
	ResetTimer()
	StopTimer()
}

// faultCounts is what n operations of the pagefault workload cost.
type faultCounts struct{ virtualNs, faults, messages int64 }

// pageFaults boots a system in mode and makes n timed stores, one page
// apart, after touching the whole working set once to fill memory.
func pageFaults(mode boot.Mode, n int, tm timer) (faultCounts, error) {
	var r faultCounts
	s, err := boot.Boot(pagefaultConfig(mode), nil)
	if err != nil {
		return r, err
	}
	defer s.Close()
	var failed error
	s.Kernel.Spawn(ipc.TaskSpec{Name: "bench", Body: func(sys ipc.Sys) {
		c, err := mmproto.Dial(sys)
		if err != nil {
			failed = err
			return
		}
		base, err := c.Mmap(0, pagefaultPages*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		if err != nil {
			failed = err
			return
		}
		word := []byte("pagefalt")
		for i := range pagefaultPages + n {
			if i == pagefaultPages {
				r.faults, r.messages, r.virtualNs = s.Kernel.Stats().PageFaults, s.Kernel.Stats().Messages, sys.Now()
				tm.ReportAllocs()
				tm.ResetTimer()
			}
			if err := sys.Store(base+uint64(i%pagefaultPages)*ipc.PageSize, word); err != nil {
				failed = fmt.Errorf("store %d: %w", i, err)
				return
			}
		}
		tm.StopTimer()
		st := s.Kernel.Stats()
		r = faultCounts{sys.Now() - r.virtualNs, st.PageFaults - r.faults, st.Messages - r.messages}
	}})
	if _, err := s.Run(); err != nil {
		return r, err
	}
	return r, failed
}
