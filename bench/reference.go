package bench

import (
	"iter"
	"testing"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/servers/null"
)

// Reference holds the host's reference costs, ns per round trip.
type Reference struct {
	CoroutineNs float64 `json:"coroutine_ns"`
	ChannelNs   float64 `json:"channel_ns"`
	DirectNs    float64 `json:"direct_ns"`
	// FlipcallNs is a raw gVisor flipcall round trip between two host
	// processes, measured when a placement puts servers in processes.
	FlipcallNs float64 `json:"flipcall_ns,omitempty"`
}

// RefCoroutine is a raw iter.Pull round trip: resume a coroutine and let it
// yield back. A micro-mode null call cannot beat two of these switches.
func RefCoroutine(b *testing.B) {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for yield(0) {
		}
	})
	defer stop()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		next()
	}
}

// RefChannel is a ping-pong of a 64-byte message over two unbuffered
// channels between two goroutines: what a goroutine-per-task kernel pays.
func RefChannel(b *testing.B) {
	req, rep := make(chan ipc.Message), make(chan ipc.Message)
	go func() {
		for m := range req {
			rep <- m
		}
	}()
	var m ipc.Message
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req <- m
		m = <-rep
	}
	b.StopTimer()
	close(req)
}

// refServer is a variable so the compiler cannot see through the interface.
var refServer = null.New()

// refReply is the caller's reply buffer: the reply is used, as the kernel
// must use it.
var refReply = new(ipc.Message)

// RefDirect calls the null server's Handle through its interface, the way
// a monolithic kernel calls a linked-in server, and stores the reply.
func RefDirect(b *testing.B) {
	s, rep := refServer, refReply
	var ctx ipc.Ctx
	var req ipc.Message
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		*rep = s.Handle(&ctx, &req)
	}
}

// MeasureReference runs the three reference benchmarks.
func MeasureReference() Reference {
	return Reference{
		CoroutineNs: nsPerOp(testing.Benchmark(RefCoroutine)),
		ChannelNs:   nsPerOp(testing.Benchmark(RefChannel)),
		DirectNs:    nsPerOp(testing.Benchmark(RefDirect)),
	}
}

func nsPerOp(r testing.BenchmarkResult) float64 {
	if r.N == 0 {
		return 0
	}
	return float64(r.T.Nanoseconds()) / float64(r.N)
}

// measureFlipcall measures the raw flipcall round trip when a placement
// puts servers in processes: the floor of a process-placed system call.
func measureFlipcall(ps []Placement, d time.Duration) (float64, error) {
	for _, p := range ps {
		if p.Setup.Isolation == boot.IsolationProcess {
			return procplace.MeasureRoundTrip(boot.ProcessExe, d)
		}
	}
	return 0, nil
}
