package kernel

import (
	"iter"
	"testing"

	"github.com/mkos/mkos/ipc"
)

type nullSrv struct{}

func (nullSrv) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message { return ipc.Reply(req) }

// benchNull boots a kernel with the null server placed in the kernel or in
// its own task, and times b.N null calls from one client.
func benchNull(b *testing.B, inKernel bool) {
	k, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	if inKernel {
		k.Place("null", nullSrv{})
	} else {
		k.Spawn(ipc.TaskSpec{Name: "null", Body: func(sys ipc.Sys) { ipc.Serve(sys, "null", nullSrv{}) }})
	}
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		sys.Sleep(1)
		id, err := sys.Lookup("null")
		if err != nil {
			b.Error(err)
			return
		}
		dst := ipc.ServiceEndpoint(id)
		var req, rep ipc.Message
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := sys.Call(dst, &req, &rep); err != nil {
				b.Error(err)
				return
			}
		}
		b.StopTimer()
	}})
	if err := k.Run(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkNullCallMicro(b *testing.B) { benchNull(b, false) }
func BenchmarkNullCallMono(b *testing.B)  { benchNull(b, true) }

func BenchmarkRefCoroutine(b *testing.B) {
	next, stop := iter.Pull(func(yield func(int) bool) {
		for yield(0) {
		}
	})
	defer stop()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		next()
	}
}

func BenchmarkRefChannel(b *testing.B) {
	req, rep := make(chan ipc.Message), make(chan ipc.Message)
	go func() {
		for m := range req {
			rep <- m
		}
	}()
	var m ipc.Message
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		req <- m
		m = <-rep
	}
	close(req)
}

// refServer is a variable so that the compiler cannot see through the
// interface: the reference is a real dynamic call, as in the kernel.
var refServer ipc.Server = nullSrv{}

// refReply is where the reference call puts its reply, as a caller's
// reply buffer would be: the reply is used, not thrown away.
var refReply = new(ipc.Message)

func BenchmarkRefDirect(b *testing.B) {
	s, rep := refServer, refReply
	var ctx ipc.Ctx
	var req ipc.Message
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		*rep = s.Handle(&ctx, &req)
	}
}
