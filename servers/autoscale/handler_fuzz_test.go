package autoscale_test

import (
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/autoscaleproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzHandler sends the autoscaler, in user space on a booted micro
// system, the requests a hostile program makes of the fuzzer's bytes
// (kerneltest.Requests): whatever they are, it must answer without a panic.
//
//	go test ./servers/autoscale -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(autoscaleproto.Status) + 1) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		cfg := boottest.Config(boot.Micro)
		cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: autoscaleproto.Name})
		err := boottest.Run(cfg, func(sys ipc.Sys) {
			kerneltest.Requests(sys, autoscaleproto.Name, int(autoscaleproto.Status)+1, prog)
		})
		if err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}
