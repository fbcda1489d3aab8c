package kernel_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// FuzzSyscalls runs tasks that make system calls chosen by the fuzzer's
// bytes — any endpoint, any type, any size, any window — against an echo
// server in user space and one in the kernel. Whatever the calls, the
// kernel must not panic: Run returns (nil, as no in-kernel server fails)
// and every task ends. `go test` runs the seed corpus; `go test -fuzz
// FuzzSyscalls ./kernel` searches further.
func FuzzSyscalls(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{2, 0, 2, 1, 2, 2, 9, 3, 11, 0, 12, 255, 3, 7, 1, 1, 5, 5})
	f.Add([]byte{13, 13, 13, 6, 6, 6, 0, 0, 0, 8, 8, 8, 14, 2, 10, 10})
	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > 512 {
			prog = prog[:512]
		}
		k, err := kernel.New(kernel.Config{MaxTimeNs: 10_000_000_000})
		if err != nil {
			t.Fatal(err)
		}
		k.Declare("user")
		k.Spawn(ipc.TaskSpec{Name: "user", Body: func(sys ipc.Sys) { ipc.Serve(sys, "user", fuzzEcho{}) }})
		k.Place("inkernel", fuzzEcho{})
		var peers []ipc.Endpoint
		for i := 0; i < 2; i++ {
			ep, err := k.Spawn(ipc.TaskSpec{Name: "fuzz", Body: func(sys ipc.Sys) { runProgram(sys, prog[i:], &peers) }})
			if err != nil {
				t.Fatal(err)
			}
			peers = append(peers, ep)
		}
		if err := k.Run(); err != nil {
			t.Fatalf("Run() = %v, want nil", err)
		}
	})
}

// runProgram interprets prog two bytes at a time: an operation and an
// argument.
func runProgram(sys ipc.Sys, prog []byte, peers *[]ipc.Endpoint) {
	var m ipc.Message
	buf := make([]byte, 128)
	for i := 0; i+1 < len(prog); i += 2 {
		op, arg := prog[i]%16, prog[i+1]
		dst := pick(arg, *peers)
		m.Type = ipc.Type(uint16(arg) * 257) // any type, the kernel's own included
		m.Source = ipc.Endpoint(arg)         // forged, must be restamped
		m.Len = uint16(arg)
		x := &ipc.Extra{Send: buf[:int(arg)%len(buf)], Recv: buf, TimeoutNs: int64(arg) * 1000}
		switch op {
		case 0:
			sys.Send(dst, &m)
		case 1:
			sys.Call(dst, &m, &m)
		case 2:
			sys.CallWith(dst, &m, &m, x)
		case 3:
			sys.Reply(dst, &m)
		case 4:
			sys.Notify(dst, uint64(arg)<<3)
		case 5:
			sys.CopyIn(dst, int(arg)-64, buf)
		case 6:
			sys.CopyOut(dst, int(arg)-64, buf)
		case 7:
			sys.Sleep(int64(arg) * 100)
		case 8:
			sys.SetTimer(sys.Now()+int64(arg)*100, uint64(arg))
		case 9:
			sys.Receive(ipc.KernelEndpoint, &m) // returns when a notification or timer comes, or never
		case 10:
			sys.Compute(int64(arg) * 10)
		case 11:
			sys.Kill(dst)
		case 12:
			sys.Load(uint64(arg)<<24, buf[:8])
		case 13:
			sys.Grant(dst, uint64(arg)<<12, uint64(arg), ipc.Prot(arg%4))
		case 14:
			sys.Inject("user", ipc.Injection(arg%6), int64(arg))
		case 15:
			sys.Yield()
		}
	}
}

// pick chooses an endpoint: a peer, a service, a stale or absurd one.
func pick(arg byte, peers []ipc.Endpoint) ipc.Endpoint {
	switch arg % 8 {
	case 0:
		return ipc.ServiceEndpoint(1) // "user"
	case 1:
		return ipc.ServiceEndpoint(2) // "inkernel"
	case 2:
		return ipc.ServiceEndpoint(ipc.ServiceID(arg))
	case 3:
		return ipc.Any
	case 4:
		return ipc.KernelEndpoint
	case 5:
		return ipc.TaskEndpoint(uint32(arg), 1)
	}
	if len(peers) > 0 {
		return peers[int(arg)%len(peers)]
	}
	return ipc.TaskEndpoint(1, 1)
}

// fuzzEcho answers every request with its payload.
type fuzzEcho struct{}

func (fuzzEcho) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message {
	r := ipc.Reply(req)
	r.Payload = req.Payload
	return r
}
