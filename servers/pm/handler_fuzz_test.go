package pm_test

import (
	"testing"

	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzHandler sends the process manager, placed in the kernel of a booted mono
// system, the requests a hostile program makes of the fuzzer's bytes
// (kerneltest.Requests): whatever they are, the handler must answer
// without a panic, which there would be a kernel panic.
//
//	go test ./servers/pm -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(pmproto.LastRequest)) {
		f.Add(s)
	}
	// a spawn whose argc (^0) and envc (1) wrap around to 0 when added:
	// the string "/a/b" of 5 bytes, a send window of 8
	f.Add([]byte{0, 0x85, 31, 1, 0, 0, 0, 0, 2, 0})
	f.Fuzz(func(t *testing.T, prog []byte) {
		err := boottest.Mono(func(sys ipc.Sys) {
			kerneltest.Requests(sys, pmproto.Name, int(pmproto.LastRequest), prog)
		})
		if err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}
