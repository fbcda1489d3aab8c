package gateway_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/kernel/kerneltest"
	"github.com/mkos/mkos/servers/gateway"
)

// wire is a gateway's link that takes every frame and delivers none: the
// fuzzer's requests reach the gateway from a program, not from the wire
// (boot/cluster's TestHostileFrames and gatewayproto's FuzzDecode cover
// the wire).
type wire struct{ sent int }

func (*wire) Node() string { return "fuzz" }
func (w *wire) Request(string, uint64, []byte, int64) error {
	w.sent++
	return nil
}
func (*wire) Respond(string, []byte, int64) error                   { return nil }
func (*wire) Next() (gatewayproto.Delivery, bool)                   { return gatewayproto.Delivery{}, false }
func (*wire) RequestTo(string, string, uint64, []byte, int64) error { return nil }
func (*wire) Export(string) error                                   { return nil }
func (*wire) Unexport(string) error                                 { return nil }

// FuzzHandler sends the gateway, placed in the kernel, the requests a
// hostile program makes of the fuzzer's bytes (kerneltest.Requests):
// moves of any name to any node, calls with any windows. Whatever they
// are, the handler must answer without a panic, which there would be a
// kernel panic.
//
//	go test ./servers/gateway -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(gatewayproto.Move) + 1) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		srv := gateway.New(&wire{}, gateway.Options{Imports: []string{"echo"}, Failover: []string{"echo"}})
		err := kerneltest.Placed(gatewayproto.Name, srv, func(sys ipc.Sys) {
			kerneltest.Requests(sys, gatewayproto.Name, int(gatewayproto.Move)+1, prog)
		})
		if err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}
