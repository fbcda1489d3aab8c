package worker_test

import (
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/workerproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzHandler sends the worker, placed in the kernel of a booted mono
// system, the requests a hostile program makes of the fuzzer's bytes
// (kerneltest.Requests): whatever they are, the handler must answer
// without a panic, which there would be a kernel panic.
//
//	go test ./servers/worker -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(workerproto.Work) + 1) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		cfg := boottest.Config(boot.Mono)
		cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: workerproto.Name})
		err := boottest.Run(cfg, func(sys ipc.Sys) {
			kerneltest.Requests(sys, workerproto.Name, int(workerproto.Work)+1, prog)
		})
		if err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}
