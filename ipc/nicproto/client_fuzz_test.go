package nicproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/nicproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(nicproto.Name, nicproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error { _, err := nic(sys).Info(); return err },
	func(sys ipc.Sys) error { return nic(sys).Send(make([]byte, 60)) },
	func(sys ipc.Sys) error { _, err := nic(sys).Recv(make([]byte, 4096), 0); return err },
	func(sys ipc.Sys) error { _, err := nic(sys).Recv(make([]byte, 4096), 1); return err },
	func(sys ipc.Sys) error { _, err := nic(sys).Stats(); return err },
	func(sys ipc.Sys) error { _, err := nic(sys).Counters(); return err },
}

// nic is a client of the fake NIC driver.
func nic(sys ipc.Sys) nicproto.Client {
	dst, _ := ipc.Dial(sys, nicproto.Name)
	return nicproto.Client{Sys: sys, Dst: dst}
}
