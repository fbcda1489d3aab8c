package kernel

import (
	"testing"

	"github.com/mkos/mkos/ipc"
)

type echoSrv struct{}

func (echoSrv) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	r := ipc.Reply(req)
	r.Payload = req.Payload
	return r
}

func TestSmoke(t *testing.T) {
	for _, inKernel := range []bool{false, true} {
		k, err := New(Config{})
		if err != nil {
			t.Fatal(err)
		}
		if inKernel {
			k.Place("echo", echoSrv{})
		} else {
			k.Spawn(ipc.TaskSpec{Name: "echo", Body: func(sys ipc.Sys) { ipc.Serve(sys, "echo", echoSrv{}) }})
		}
		got := 0
		k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
			id, err := sys.Lookup("echo")
			if err != nil {
				sys.Sleep(1000)
				id, err = sys.Lookup("echo")
				if err != nil {
					t.Errorf("lookup: %v", err)
					return
				}
			}
			var req, rep ipc.Message
			for i := 0; i < 10; i++ {
				req.SetWord(0, uint64(i))
				if err := sys.Call(ipc.ServiceEndpoint(id), &req, &rep); err != nil {
					t.Errorf("call: %v", err)
					return
				}
				if rep.Word(0) == uint64(i) {
					got++
				}
			}
		}})
		if err := k.Run(); err != nil {
			t.Fatal(err)
		}
		t.Logf("inKernel=%v got=%d stats=%+v now=%d svcs=%+v", inKernel, got, k.Stats(), k.Now(), k.Services()[0].Stats.Requests)
		if got != 10 {
			t.Errorf("got %d", got)
		}
	}
}
