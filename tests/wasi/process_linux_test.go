//go:build linux

package wasi_test

import (
	"testing"

	"github.com/mkos/mkos/boot"
)

// With every user-space server a host process — pm too — a wasm program
// still runs: pm's proxy makes its body again from the spawn's recipe,
// which says the program came from a file.
func TestProcessIsolation(t *testing.T) {
	r := shTraced(t, boot.Micro, boot.IsolationProcess, "", "probe args a b | wc.wasm -l; probe exit 4; echo $?", 16<<20, 1, "", nil)
	if r.out != "      2\n4\n" {
		t.Errorf("sh -c = %q (stderr %q, status %d), want 2 lines and status 4", r.out, r.err, r.status)
	}
}
