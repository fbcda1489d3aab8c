package bench

import (
	"testing"

	"github.com/mkos/mkos/boot"
)

func BenchmarkNullMicro(b *testing.B)    { Null(boot.Micro)(b) }
func BenchmarkNullMono(b *testing.B)     { Null(boot.Mono)(b) }
func BenchmarkNullHybrid(b *testing.B)   { Null(boot.Hybrid)(b) }
func BenchmarkRefCoroutine(b *testing.B) { RefCoroutine(b) }
func BenchmarkRefChannel(b *testing.B)   { RefChannel(b) }
func BenchmarkRefDirect(b *testing.B)    { RefDirect(b) }

// TestNullWorkloadRuns checks that the benchmark workload really makes its
// calls in every mode (a benchmark that silently did nothing would report
// wonderful numbers).
func TestNullWorkloadRuns(t *testing.T) {
	for _, m := range boot.Modes {
		r := testing.Benchmark(Null(m))
		if r.N == 0 {
			t.Fatalf("%s: benchmark failed", m)
		}
		if v := r.Extra["virtual-ns/op"]; v <= 0 {
			t.Errorf("%s: virtual ns/op = %v, want > 0", m, v)
		}
	}
}

func BenchmarkPageFaultMicro(b *testing.B)  { PageFault(boot.Micro)(b) }
func BenchmarkPageFaultMono(b *testing.B)   { PageFault(boot.Mono)(b) }
func BenchmarkPageFaultHybrid(b *testing.B) { PageFault(boot.Hybrid)(b) }

// TestPageFaultWorkloadFaults checks that every operation of the pagefault
// workload is a page fault, in every mode.
func TestPageFaultWorkloadFaults(t *testing.T) {
	for _, m := range boot.Modes {
		r, err := pageFaults(m, 2000, nopTimer{})
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if r.faults != 2000 {
			t.Errorf("%s: %d faults for 2000 stores, want one each", m, r.faults)
		}
		if r.virtualNs <= 0 {
			t.Errorf("%s: virtual ns = %d, want > 0", m, r.virtualNs)
		}
	}
}

type nopTimer struct{}

func (nopTimer) ReportAllocs() {}
func (nopTimer) ResetTimer()   {}
func (nopTimer) StopTimer()    {}
