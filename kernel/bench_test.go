package kernel_test

import (
	"testing"

	"github.com/mkos/mkos/bench"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/null"
)

// benchNull boots a bare kernel with the null server placed in the kernel
// or in its own task, and times b.N null calls from one client: the
// kernel's own cost, with no boot configuration, supervisor or protocol
// stub around it (bench.Null measures the whole system).
func benchNull(b *testing.B, inKernel bool) { benchNullPulse(b, inKernel, false) }

// benchNullPulse is benchNull, with the pulse a watchdog reads published
// (pulse.go) when pulse is set: its cost per call.
func benchNullPulse(b *testing.B, inKernel, pulse bool) {
	k, err := kernel.New(kernel.Config{})
	if err != nil {
		b.Fatal(err)
	}
	if pulse {
		k.Pulse()
	}
	if inKernel {
		k.Place("null", null.New())
	} else {
		k.Spawn(ipc.TaskSpec{Name: "null", Body: func(sys ipc.Sys) { ipc.Serve(sys, "null", null.New()) }})
	}
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		sys.Sleep(1)
		id, err := sys.Lookup("null")
		if err != nil {
			b.Error(err)
			return
		}
		dst := ipc.ServiceEndpoint(id)
		var req, rep ipc.Message
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := sys.Call(dst, &req, &rep); err != nil {
				b.Error(err)
				return
			}
		}
		b.StopTimer()
	}})
	if err := k.Run(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkNullCallMicro(b *testing.B) { benchNull(b, false) }

func BenchmarkNullCallMicroPulse(b *testing.B) { benchNullPulse(b, false, true) }
func BenchmarkNullCallMonoPulse(b *testing.B)  { benchNullPulse(b, true, true) }
func BenchmarkNullCallMono(b *testing.B)       { benchNull(b, true) }

// The host references, measured next to the null call in the same run.

func BenchmarkRefCoroutine(b *testing.B) { bench.RefCoroutine(b) }
func BenchmarkRefChannel(b *testing.B)   { bench.RefChannel(b) }
func BenchmarkRefDirect(b *testing.B)    { bench.RefDirect(b) }
