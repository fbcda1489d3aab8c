package fs_test

import (
	"testing"

	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzHandler sends the file server, placed in the kernel of a booted mono
// system, the requests a hostile program makes of the fuzzer's bytes
// (kerneltest.Requests): whatever they are, the handler must answer
// without a panic, which there would be a kernel panic.
//
//	go test ./servers/fs -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(fsproto.LastRequest)) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		err := boottest.Mono(func(sys ipc.Sys) {
			kerneltest.Requests(sys, fsproto.Name, int(fsproto.LastRequest), prog)
		})
		if err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}
