package main

import (
	"os"
	"path/filepath"

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
}
