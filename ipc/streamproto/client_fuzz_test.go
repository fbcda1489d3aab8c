package streamproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/streamproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(streamproto.PipeService, streamproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error { _, err := stream(sys).OpenStream("null", linux.O_RDWR); return err },
	func(sys ipc.Sys) error { _, err := stream(sys).Read(1, make([]byte, 100)); return err },
	func(sys ipc.Sys) error { _, err := stream(sys).Write(1, make([]byte, 70000)); return err },
	func(sys ipc.Sys) error { return stream(sys).Close(1) },
	func(sys ipc.Sys) error { _, err := stream(sys).Dup(1); return err },
	func(sys ipc.Sys) error { _, _, err := stream(sys).Pipe(); return err },
	func(sys ipc.Sys) error { _, err := stream(sys).Ioctl(1, 2, 3); return err },
	func(sys ipc.Sys) error { _, err := stream(sys).Mode(1); return err },
	func(sys ipc.Sys) error { _, err := stream(sys).SetMode(1, streamproto.ModeRaw); return err },
	func(sys ipc.Sys) error { _, err := stream(sys).Foreground(1); return err },
	func(sys ipc.Sys) error { return stream(sys).SetForeground(1, 5) },
	func(sys ipc.Sys) error { _, err := stream(sys).Ready(1); return err },
	func(sys ipc.Sys) error { _, _, err := stream(sys).ReadyAndArm(1, 1); return err },
}

// stream is a client of the fake stream service.
func stream(sys ipc.Sys) streamproto.Client {
	c, _ := streamproto.Dial(sys, streamproto.PipeService)
	return c
}
