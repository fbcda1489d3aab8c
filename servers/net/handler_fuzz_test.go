package net_test

import (
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// seeds are socket calls a hostile program starts from: a socket of each
// kind (Socket is type 64: byte 63), then calls on the handle it got
// (word 254: the previous reply's Word(0)).
func seeds() [][]byte {
	var ops []byte // type-1 of every request the server serves
	for t := ipc.Type(1); t <= netproto.Routes; t++ {
		if t <= 8 || t >= netproto.Socket {
			ops = append(ops, byte(t-1))
		}
	}
	last := byte(31)
	var out [][]byte
	for _, op := range ops {
		out = append(out, []byte{op, 0, 0, 0, 0, 0, 0, 0, 0, 1}, []byte{op, last, last, last, last, last, last, 255, 255, 255})
	}
	for _, kind := range [][2]byte{{0x81, 0x80}, {0x82, 0x80}, {0x82, 0x81}} { // stream; dgram; icmp
		sock := []byte{63, 0x82, kind[0], kind[1], 0, 0, 0, 0, 0, 0}
		for _, op := range ops {
			out = append(out, append(append([]byte(nil), sock...), op, 254, 0x90, 0, 0, 0, 0, 40, 4, 4))
		}
	}
	return out
}

// FuzzHandler sends the net server, placed in the kernel of a booted mono
// system, the requests a hostile program makes of the fuzzer's bytes
// (kerneltest.Requests): whatever they are, the handler must answer
// without a panic, which there would be a kernel panic.
//
//	go test ./servers/net -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		if err := runMono(func(sys ipc.Sys) {
			kerneltest.Requests(sys, netproto.Name, int(netproto.Routes), prog)
		}); err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}

// runMono boots a small mono system with a network (no disk: the net
// server needs none), runs body in a task, and returns a kernel panic or
// the panic a task died of.
func runMono(body func(sys ipc.Sys)) error {
	cfg := boot.Default()
	cfg.Mode, cfg.Net, cfg.Servers = boot.Mono, &boot.NetConf{}, nil
	deaths := &kerneltest.Panics{}
	sys, err := boot.Boot(cfg, deaths)
	if err != nil {
		return err
	}
	defer sys.Close()
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "hostile", Body: body}); err != nil {
		return err
	}
	if err := sys.Kernel.Run(); err != nil {
		return err
	}
	return deaths.Err()
}
