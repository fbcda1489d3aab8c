package diskproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/diskproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(diskproto.Name, diskproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error { return disk(sys).ReadBlocks(1, 2, make([]byte, 8192)) },
	func(sys ipc.Sys) error { return disk(sys).WriteBlocks(1, 2, make([]byte, 8192)) },
	func(sys ipc.Sys) error { return disk(sys).Flush() },
	func(sys ipc.Sys) error { _, err := disk(sys).Info(); return err },
	func(sys ipc.Sys) error { _, err := disk(sys).Stats(); return err },
}

// disk is a client of the fake disk driver.
func disk(sys ipc.Sys) diskproto.Client {
	dst, _ := ipc.Dial(sys, diskproto.Name)
	return diskproto.Client{Sys: sys, Dst: dst}
}
