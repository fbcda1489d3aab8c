package wasi

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// The compilation cache. One wazero runtime serves every wasm program of
// the host process (it is safe for concurrent use, and systems booted side
// by side in tests share it); a module is compiled once, when a program
// first runs it, and kept, keyed by the SHA-256 of its bytes, so the next
// run of the same file only instantiates it. With a host directory
// (SetCacheDir), wazero also keeps the machine code there, so another
// host process (the next mkos run, the next test binary) skips compiling
// too — compiling a Go program of 3 MB takes seconds. Compiling reads host time
// for Stats only: it charges no virtual time, so a run's trace does not
// depend on whether the module was cached.

// MaxMemoryBytes bounds a module's linear memory (wasm32 allows 4 GiB):
// its memory is the host's, not mm's, so this is the limit on what one
// program takes from the host. A module that asks for more fails to grow
// its memory (Go's runtime then reports out of memory).
const MaxMemoryBytes = 256 << 20

// maxCached bounds the compiled modules kept; past it a module is
// compiled for each run.
const maxCached = 32

var (
	runtimeOnce sync.Once
	rt          wazero.Runtime

	cacheDir string // set before the first program runs

	cacheMu sync.Mutex
	cache   = map[[32]byte]wazero.CompiledModule{}
	stats   Stats
)

// Stats counts the work of the compilation cache in this host process.
type Stats struct {
	Compiles  int           // modules compiled
	Hits      int           // runs that found their module compiled
	CompileNs time.Duration // host time spent compiling
}

// CacheStats returns the compilation cache's counts so far.
func CacheStats() Stats {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	return stats
}

// SetCacheDir makes wazero keep compiled modules in the host directory
// dir as well, created when missing. It must be called before the first
// program runs; later calls change nothing.
func SetCacheDir(dir string) { cacheDir = dir }

// theRuntime returns the shared runtime, with WASI preview 1 instantiated.
func theRuntime(ctx context.Context) wazero.Runtime {
	runtimeOnce.Do(func() {
		cfg := wazero.NewRuntimeConfig().WithMemoryLimitPages(MaxMemoryBytes / 65536)
		if cacheDir != "" {
			if c, err := wazero.NewCompilationCacheWithDir(cacheDir); err == nil {
				cfg = cfg.WithCompilationCache(c)
			}
		}
		rt = wazero.NewRuntimeWithConfig(ctx, cfg)
		wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	})
	return rt
}

// compiled returns code compiled, from the cache when it is there. Every
// function of a module is compiled with the CPU meter's listener (cpu.go).
func compiled(ctx context.Context, code []byte) (wazero.CompiledModule, error) {
	r := theRuntime(ctx)
	key := sha256.Sum256(code)
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if m, ok := cache[key]; ok {
		stats.Hits++
		return m, nil
	}
	start := time.Now()
	m, err := r.CompileModule(experimental.WithFunctionListenerFactory(ctx, listenerFactory{}), code)
	stats.CompileNs += time.Since(start)
	if err != nil {
		return nil, err
	}
	stats.Compiles++
	if len(cache) < maxCached {
		cache[key] = m
	}
	return m, nil
}
