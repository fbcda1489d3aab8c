package netproto_test

import (
	"net/netip"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/netproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(netproto.Name, netproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

var peer = netip.MustParseAddrPort("10.0.0.2:80")

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error { _, err := net(sys).Socket(linux.AF_INET, linux.SOCK_STREAM, 0); return err },
	func(sys ipc.Sys) error { return net(sys).Bind(1, peer) },
	func(sys ipc.Sys) error { return net(sys).Listen(1, 5) },
	func(sys ipc.Sys) error { _, _, err := net(sys).Accept(1, 0); return err },
	func(sys ipc.Sys) error { return net(sys).Connect(1, peer) },
	func(sys ipc.Sys) error { _, err := net(sys).SendTo(1, make([]byte, 100), 0, peer); return err },
	func(sys ipc.Sys) error { _, _, err := net(sys).RecvFrom(1, make([]byte, 100), 0); return err },
	func(sys ipc.Sys) error { return net(sys).Shutdown(1, linux.SHUT_WR) },
	func(sys ipc.Sys) error { _, err := net(sys).SockName(1); return err },
	func(sys ipc.Sys) error { _, err := net(sys).PeerName(1); return err },
	func(sys ipc.Sys) error { _, err := net(sys).SetFlags(1, linux.O_NONBLOCK); return err },
	func(sys ipc.Sys) error { _, err := net(sys).Interfaces(); return err },
	func(sys ipc.Sys) error { _, err := net(sys).Sockets(); return err },
	func(sys ipc.Sys) error { _, err := net(sys).Routes(); return err },
}

// net is a client of the fake net server.
func net(sys ipc.Sys) netproto.Client {
	c, _ := netproto.Dial(sys)
	return c
}
