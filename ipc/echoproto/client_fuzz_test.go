package echoproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/nullproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs the echo and null stubs against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic or return an errno its protocol does not document.
//
//	go test ./ipc/echoproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		echo := []func(sys ipc.Sys) error{
			func(sys ipc.Sys) error {
				_, err := echoproto.Call(sys, dial(sys, echoproto.Name), []byte("hi"), make([]byte, 8))
				return err
			},
			func(sys ipc.Sys) error {
				_, err := echoproto.Call(sys, dial(sys, echoproto.Name), make([]byte, 100), make([]byte, 50))
				return err
			},
		}
		if err := kerneltest.Stub(echoproto.Name, echoproto.Errnos, data, echo); err != nil {
			t.Fatal(err)
		}
		null := []func(sys ipc.Sys) error{
			func(sys ipc.Sys) error {
				var req, rep ipc.Message
				return nullproto.Call(sys, dial(sys, nullproto.Name), &req, &rep)
			},
		}
		if err := kerneltest.Stub(nullproto.Name, nullproto.Errnos, data, null); err != nil {
			t.Fatal(err)
		}
	})
}

func dial(sys ipc.Sys, name string) ipc.Endpoint {
	ep, _ := ipc.Dial(sys, name)
	return ep
}
