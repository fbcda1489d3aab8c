package wasi_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/mkos/mkos/user/wasi"
)

// BenchmarkCalibrate measures what user/wasi's NsPerCall stands for: the
// host time of a wasm program's run (compiled without the listener, as
// fast as wazero runs it; the fastest run, as the 2-core hosts are
// shared and a mean carries their load) divided by the function calls it makes
// (counted with a listener in another run). Each workload reports ns/call
// and the error of charging StartNs + NsPerCall per call instead:
// charged/actual.
//
//	go test ./tests/wasi -run '^$' -bench Calibrate
func BenchmarkCalibrate(b *testing.B) {
	for _, w := range []struct {
		name string
		prog string
		args []string
	}{
		{"spin30", "probe", []string{"probe", "spin", "30"}},
		{"spin20", "probe", []string{"probe", "spin", "20"}},
		{"hello", "hello", []string{"hello", "a", "b"}},
		{"rand", "probe", []string{"probe", "rand"}},
	} {
		b.Run(w.name, func(b *testing.B) {
			ctx := context.Background()
			plain, counted := wazero.NewRuntime(ctx), wazero.NewRuntime(ctx)
			defer plain.Close(ctx)
			defer counted.Close(ctx)
			wasi_snapshot_preview1.MustInstantiate(ctx, plain)
			wasi_snapshot_preview1.MustInstantiate(ctx, counted)
			fast, err := plain.CompileModule(ctx, modules[w.prog])
			if err != nil {
				b.Fatal(err)
			}
			var calls int64
			count := experimental.FunctionListenerFactoryFunc(func(api.FunctionDefinition) experimental.FunctionListener {
				return experimental.FunctionListenerFunc(func(context.Context, api.Module, api.FunctionDefinition, []uint64, experimental.StackIterator) {
					calls++
				})
			})
			slow, err := counted.CompileModule(experimental.WithFunctionListenerFactory(ctx, count), modules[w.prog])
			if err != nil {
				b.Fatal(err)
			}
			cfg := wazero.NewModuleConfig().WithName("").WithArgs(w.args...).WithStdout(io.Discard).WithStderr(io.Discard)
			if _, err := counted.InstantiateModule(ctx, slow, cfg); err != nil {
				b.Fatal(err)
			}
			host := time.Duration(1 << 62)
			for b.Loop() {
				start := time.Now()
				m, err := plain.InstantiateModule(ctx, fast, cfg)
				host = min(host, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				m.Close(ctx)
			}
			perRun := float64(host.Nanoseconds())
			b.ReportMetric(perRun, "min-ns/run")
			b.ReportMetric(float64(calls), "calls/run")
			b.ReportMetric(perRun/float64(calls), "ns/call")
			b.ReportMetric(float64(wasi.StartNs+calls*wasi.NsPerCall)/perRun, "charged/actual")
		})
	}
}

// BenchmarkCompile measures compiling a module with wazero's compiler
// (what user/wasi's cache saves each run after the first) against only
// instantiating and running it once compiled.
//
//	go test ./tests/wasi -run '^$' -bench 'Compile'
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	for _, name := range []string{"hello", "probe"} {
		b.Run("compile/"+name, func(b *testing.B) {
			for b.Loop() {
				r := wazero.NewRuntime(ctx)
				if _, err := r.CompileModule(ctx, modules[name]); err != nil {
					b.Fatal(err)
				}
				r.Close(ctx)
			}
			b.ReportMetric(float64(len(modules[name])), "module-bytes")
		})
		b.Run("run/"+name, func(b *testing.B) {
			r := wazero.NewRuntime(ctx)
			defer r.Close(ctx)
			wasi_snapshot_preview1.MustInstantiate(ctx, r)
			m, err := r.CompileModule(ctx, modules[name])
			if err != nil {
				b.Fatal(err)
			}
			cfg := wazero.NewModuleConfig().WithName("").WithArgs(name, "args").WithStdout(io.Discard).WithStderr(io.Discard)
			for b.Loop() {
				mod, err := r.InstantiateModule(ctx, m, cfg)
				if err != nil {
					b.Fatal(err)
				}
				mod.Close(ctx)
			}
		})
	}
}
