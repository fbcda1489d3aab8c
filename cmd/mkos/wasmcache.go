package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mkos/mkos/user/wasi"
)

// wasmCacheEnv names the variable that sets where compiled WebAssembly
// programs are kept between runs: a directory, or "off" for none. Unset,
// it is mkos/wasm in the user's cache directory (~/.cache on Linux).
const wasmCacheEnv = "MKOS_WASM_CACHE"

// setWasmCache gives user/wasi its host directory of compiled modules, so
// that a program compiled by one run of mkos starts at once in the next.
func setWasmCache() {
	dir := os.Getenv(wasmCacheEnv)
	if dir == "off" {
		return
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return // no cache directory on this host (js/wasm): memory only
		}
		dir = filepath.Join(base, "mkos", "wasm")
	}
	wasi.SetCacheDir(dir)
	wasmCacheDir = dir
}

// wasmCacheDir is the directory setWasmCache chose, "" for none.
var wasmCacheDir string

// reportWasmCompiles says on standard error how long getting the run's
// WebAssembly programs compiled took — compiling them, or loading the
// code from the cache directory: the seconds a first run of a new
// program waits are explained, and the next run shows the cache at work.
func reportWasmCompiles() {
	st := wasi.CacheStats()
	if st.Compiles == 0 {
		return
	}
	where := "compiled; kept in memory only"
	if wasmCacheDir != "" {
		where = "compiled, or loaded from " + wasmCacheDir
	}
	fmt.Fprintf(os.Stderr, "mkos: %d WebAssembly module(s) ready in %s (%s)\n",
		st.Compiles, st.CompileNs.Round(time.Millisecond), where)
}
