package pmproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/pmproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(pmproto.Name, pmproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error {
		_, err := pm(sys).Spawn("/bin/x", []string{"x", "y"}, []string{"A=b"}, &pmproto.SpawnAttr{Fds: []int{0, 1}})
		return err
	},
	func(sys ipc.Sys) error { _, err := pm(sys).Attach(2, 9, "name"); return err },
	func(sys ipc.Sys) error { return pm(sys).Exit(3) },
	func(sys ipc.Sys) error { return pm(sys).Crashed(linux.SIGSEGV) },
	func(sys ipc.Sys) error { _, _, err := pm(sys).Wait(-1, 0); return err },
	func(sys ipc.Sys) error { _, _, err := pm(sys).Wait(-1, pmproto.WNOHANG); return err },
	func(sys ipc.Sys) error { return pm(sys).Kill(4, linux.SIGTERM) },
	func(sys ipc.Sys) error { _, err := pm(sys).Getpid(); return err },
	func(sys ipc.Sys) error { return pm(sys).Setpgid(0, 0) },
	func(sys ipc.Sys) error { _, err := pm(sys).Getpgid(0); return err },
	func(sys ipc.Sys) error { _, err := pm(sys).Sigaction(linux.SIGINT, pmproto.SigCatch); return err },
	func(sys ipc.Sys) error { _, err := pm(sys).Ps(); return err },
	func(sys ipc.Sys) error { _, err := pm(sys).Fds(); return err },
	func(sys ipc.Sys) error { return pm(sys).Setcred(ipc.Cred{UID: 1000, GID: 1000}) },
	func(sys ipc.Sys) error { _, _, _, err := pm(sys).WaitTime(-1, 0); return err },
}

// pm is a client of the fake process manager.
func pm(sys ipc.Sys) pmproto.Client {
	c, _ := pmproto.Dial(sys)
	return c
}
