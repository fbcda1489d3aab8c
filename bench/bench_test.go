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
