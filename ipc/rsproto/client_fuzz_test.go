package rsproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/rsproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(rsproto.Name, rsproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error { _, err := rs(sys).List(); return err },
	func(sys ipc.Sys) error { _, err := rs(sys).Log(); return err },
	func(sys ipc.Sys) error { _, _, err := rs(sys).Restart("fs"); return err },
	func(sys ipc.Sys) error { return rs(sys).Stop("fs") },
	func(sys ipc.Sys) error { _, err := rs(sys).Start("fs"); return err },
	func(sys ipc.Sys) error { _, _, err := rs(sys).Replace("echo", "echo2"); return err },
	func(sys ipc.Sys) error { return rs(sys).Inject("fs", ipc.InjectSlow, 1000) },
	func(sys ipc.Sys) error { _, err := rs(sys).Update("fs", ""); return err },
	func(sys ipc.Sys) error { _, err := rs(sys).Update("echo", "echo2"); return err },
	func(sys ipc.Sys) error { _, err := rs(sys).Stats(); return err },
	func(sys ipc.Sys) error { _, _, err := rs(sys).Scale("echo", 2); return err },
	func(sys ipc.Sys) error { return rs(sys).FollowLog(false, func(rsproto.LogEntry) bool { return true }) },
	func(sys ipc.Sys) error { return rs(sys).FollowLog(false, func(rsproto.LogEntry) bool { return true }) },
}

// rs is a client of the fake reincarnation server.
func rs(sys ipc.Sys) rsproto.Client {
	c, _ := rsproto.Dial(sys)
	return c
}
