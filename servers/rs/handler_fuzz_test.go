package rs_test

import (
	"testing"

	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzHandler sends the reincarnation server (a task in every mode) the requests a hostile program makes of the
// fuzzer's bytes (kerneltest.Requests), in a booted mono system: whatever
// they are, the server must answer without a panic.
//
//	go test ./servers/rs -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(rsproto.Log)) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		err := boottest.Mono(func(sys ipc.Sys) {
			kerneltest.Requests(sys, rsproto.Name, int(rsproto.Log), prog)
		})
		if err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}
