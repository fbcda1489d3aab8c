package mmproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/mmproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(mmproto.Name, mmproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error { _, err := mm(sys).Brk(mmproto.HeapBase + 4096); return err },
	func(sys ipc.Sys) error {
		_, err := mm(sys).Mmap(0, 8192, ipc.ProtRead, mmproto.MapAnonymous, 0)
		return err
	},
	func(sys ipc.Sys) error { return mm(sys).Munmap(mmproto.MmapBase, 4096) },
	func(sys ipc.Sys) error { return mm(sys).Mprotect(mmproto.MmapBase, 4096, ipc.ProtRead) },
	func(sys ipc.Sys) error { _, err := mm(sys).Stats(); return err },
	func(sys ipc.Sys) error {
		_, err := mm(sys).MmapFile(0, 4096, ipc.ProtRead, 0, "/f", linux.O_RDONLY, 0)
		return err
	},
	func(sys ipc.Sys) error { return mm(sys).Msync(mmproto.MmapBase, 4096) },
	func(sys ipc.Sys) error { _, err := mm(sys).TaskStats(0); return err },
	func(sys ipc.Sys) error { return mm(sys).Release() },
	func(sys ipc.Sys) error { _, err := mm(sys).Ref(mmproto.HeapBase); return err },
	func(sys ipc.Sys) error { _, err := mm(sys).Resident(make([]byte, 64)); return err },
	func(sys ipc.Sys) error {
		_, err := mm(sys).MmapShared(0, 8192, ipc.ProtRead|ipc.ProtWrite, 0, 7, 0o640)
		return err
	},
}

// mm is a client of the fake memory manager.
func mm(sys ipc.Sys) mmproto.Client {
	c, _ := mmproto.Dial(sys)
	return c
}
