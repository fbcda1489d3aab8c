package live_test

import (
	"testing"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/live"
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
