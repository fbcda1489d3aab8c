package live_test

import (
	"testing"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/live"
	"github.com/mkos/mkos/servers/null"
)

// BenchmarkDemo runs the demo workload (600 calls) without a model, with
// a tracer that does nothing (what the kernel's events cost), with a
// model attached but no view asking, and with a view asking for a
// snapshot every millisecond of host time: what observing costs. `mkos bench` and
// kernel's BenchmarkNullCall* measure the kernel without a model, where
// the observer is one nil check per engine step.
func BenchmarkDemo(b *testing.B) {
	cases := []struct {
		name  string
		model bool
		view  bool // a view asks for a snapshot every millisecond
		nop   bool // a tracer that does nothing, no model
	}{
		{"unwatched", false, false, false},
		{"nop-tracer", false, false, true},
		{"model", true, false, false},
		{"model+view", true, true, false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				var m *live.Model
				var tracer any
				if c.model {
					m = live.New(live.Options{})
					tracer = m
				}
				if c.nop {
					tracer = nopTracer{}
				}
				sys, err := bootDemo(tracer)
				if err != nil {
					b.Fatal(err)
				}
				if m != nil {
					m.Attach(sys.Kernel)
					if c.view {
						go func() {
							for !m.Ended() {
								m.Snapshot(time.Millisecond)
								time.Sleep(time.Millisecond)
							}
						}()
					}
				}
				if _, err := sys.Run(); err != nil {
					b.Fatal(err)
				}
				if m != nil {
					m.Finish()
				}
				sys.Close()
			}
		})
	}
}

// nopTracer receives every event and does nothing with it.
type nopTracer struct{}

func (nopTracer) Event(*kernel.Event) {}

func bootDemo(tracer any) (*boot.System, error) {
	cfg := boot.Default()
	cfg.Workload.Calls = 200
	if t, ok := tracer.(kernel.Tracer); ok {
		return boot.Boot(cfg, t)
	}
	return boot.Boot(cfg, nil)
}

// BenchmarkNullCall times one micro-mode null call on a bare kernel (no
// boot, no supervisor: the kernel's own path) unwatched — what mkos bench
// measures, where the engine's observer hook is one nil check per step —
// with a model attached that no view asks, and with a view asking for a
// snapshot every millisecond of host time:
//
//	go test ./live -run '^$' -bench NullCall
func BenchmarkNullCall(b *testing.B) {
	for _, c := range []struct {
		name        string
		model, view bool
	}{
		{"unwatched", false, false},
		{"model", true, false},
		{"model+view", true, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			cfg := kernel.Config{}
			var m *live.Model
			if c.model {
				m = live.New(live.Options{})
				cfg.Trace = m
			}
			k, err := kernel.New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			if m != nil {
				m.Attach(k)
				defer m.Finish()
				if c.view {
					stop := make(chan struct{})
					defer close(stop)
					go func() {
						for {
							select {
							case <-stop:
								return
							default:
							}
							m.Snapshot(time.Millisecond)
							time.Sleep(time.Millisecond)
						}
					}()
				}
			}
			nullClient(b, k)
			if err := k.Run(); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// nullClient spawns the null server and a client that times b.N calls.
func nullClient(b *testing.B, k *kernel.Kernel) {
	k.Spawn(ipc.TaskSpec{Name: "null", Body: func(sys ipc.Sys) { ipc.Serve(sys, "null", null.New()) }})
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
		for range b.N {
			if err := sys.Call(dst, &req, &rep); err != nil {
				b.Error(err)
				return
			}
		}
		b.StopTimer()
	}})
}
