package nic_test

import (
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzHandler sends the NIC driver, placed in the kernel of a booted mono
// system with a loopback card, the requests a hostile task makes of the
// fuzzer's bytes (kerneltest.Requests): whatever they are, the handler
// must answer without a panic, which there would be a kernel panic. The
// task runs with the kernel's record, as net would call: a program's
// would be refused (the driver admits only net).
//
//	go test ./drivers/nic -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(nicproto.Counters)) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		cfg := boottest.Config(boot.Mono)
		cfg.NIC = &boot.NICConf{Loopback: true}
		err := boottest.Run(cfg, func(sys ipc.Sys) {
			kerneltest.Requests(sys, nicproto.Name, int(nicproto.Counters), prog)
		})
		if err != nil {
			t.Fatalf("a hostile task's requests: %v", err)
		}
	})
}
