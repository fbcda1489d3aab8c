package wasi_test

import (
	"testing"

	"github.com/mkos/mkos/boot"
)

func TestHello(t *testing.T) {
	r := sh(t, boot.Micro, "", "cd /tmp; USER=ann hello a 'b c'")
	want := "hello from WebAssembly on mkos\nargs: [\"a\" \"b c\"]\nuser: ann, cwd: /tmp\n"
	if r.out != want || r.status != 0 {
		t.Errorf("hello = %q (err %q) status %d, want %q status 0", r.out, r.err, r.status, want)
	}
}
