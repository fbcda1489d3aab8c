package bench

import (
	"fmt"
	"sort"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nullproto"
)

// Workloads maps a workload name to the benchmark that runs it in a mode.
var Workloads = map[string]func(mode boot.Mode) func(b *testing.B){
	"null":      Null,
	"pagefault": PageFault,
}

// WorkloadNames returns the workload names in sorted order.
func WorkloadNames() []string {
	names := make([]string, 0, len(Workloads))
	for n := range Workloads {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// nullConfig boots only the null server, placed by mode (hybrid uses the
// default hybrid placement), with no demo workload.
func nullConfig(mode boot.Mode) boot.Config {
	c := boot.Default()
	c.Mode = mode
	c.MaxTime = 0
	c.Servers = []boot.ServerConf{{Name: nullproto.Name, Placement: boot.DefaultHybrid[nullproto.Name]}}
	c.Workload = boot.WorkloadConf{}
	return c
}

// Null is the null system call: one client calls the null service b.N
// times. It reports virtual ns per call as a custom metric.
func Null(mode boot.Mode) func(b *testing.B) {
	return func(b *testing.B) {
		s, err := boot.Boot(nullConfig(mode), nil)
		if err != nil {
			b.Fatal(err)
		}
		var failed error
		var virt int64
		s.Kernel.Spawn(ipc.TaskSpec{Name: "bench", Body: func(sys ipc.Sys) {
			id, err := sys.Lookup(nullproto.Name)
			if err != nil {
				failed = err
				return
			}
			dst := ipc.ServiceEndpoint(id)
			var req, rep ipc.Message
			if err := nullproto.Call(sys, dst, &req, &rep); err != nil { // warm up: the server registers
				failed = err
				return
			}
			t0 := sys.Now()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := nullproto.Call(sys, dst, &req, &rep); err != nil {
					failed = fmt.Errorf("call %d: %w", i, err)
					return
				}
			}
			b.StopTimer()
			virt = sys.Now() - t0
		}})
		if _, err := s.Run(); err != nil {
			b.Fatal(err)
		}
		if failed != nil {
			b.Fatal(failed)
		}
		b.ReportMetric(float64(virt)/float64(b.N), "virtual-ns/op")
	}
}
