package kernel_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// FuzzSyscalls runs tasks that make system calls chosen by the fuzzer's
// bytes — every method of ipc.Sys, with any endpoint, type, size, window,
// name, address, frame, device, grant and credentials — against an echo
// server in user space, one in the kernel and a device. Whatever the
// calls, the kernel must not panic: Run returns (nil, as no in-kernel
// server fails) and every task ends. `go test` runs the seed corpus; `go
// test -fuzz FuzzSyscalls ./kernel` searches further.
func FuzzSyscalls(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{2, 0, 2, 1, 2, 2, 9, 3, 11, 0, 12, 255, 3, 7, 1, 1, 5, 5})
	f.Add([]byte{13, 13, 13, 6, 6, 6, 0, 0, 0, 8, 8, 8, 14, 2, 10, 10})
	for op := byte(16); op < numOps; op++ { // each newer call, with a few arguments
		f.Add([]byte{op, 0, op, 1, op, 7, op, 200, op, 255, 9, 0})
	}
	f.Add([]byte{23, 1, 26, 2, 26, 3, 26, 5, 27, 3, 28, 4, 29, 4, 30, 8, 31, 9})     // a frame allocated, mapped, read, written
	f.Add([]byte{20, 3, 21, 3, 22, 3, 24, 1, 25, 0, 32, 0, 33, 1, 34, 2})            // devices, grants, stats
	f.Add([]byte{35, 0, 35, 5, 36, 0, 37, 1, 38, 2, 38, 9, 39, 0, 17, 4, 16, 1, 18}) // spawn, supervise, credentials
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
		if _, err := k.Attach(&memDev{}, "user", 1<<5); err != nil {
			t.Fatal(err)
		}
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

// numOps is the number of operations runProgram knows.
const numOps = 42

// runProgram interprets prog two bytes at a time: an operation and an
// argument.
func runProgram(sys ipc.Sys, prog []byte, peers *[]ipc.Endpoint) {
	var m ipc.Message
	buf := make([]byte, 128)
	var frame uint32
	var grant ipc.GrantID
	var dev ipc.DevID
	for i := 0; i+1 < len(prog); i += 2 {
		op, arg := prog[i]%numOps, prog[i+1]
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
		default:
			moreCalls(sys, op, arg, dst, buf, &frame, &grant, &dev, *peers)
		}
	}
}

// moreCalls makes the calls of operations 16 and up: the rest of ipc.Sys.
// frame, grant and dev keep the last ones the kernel handed out, so a
// program can use them as well as forged ones.
func moreCalls(sys ipc.Sys, op, arg byte, dst ipc.Endpoint, buf []byte, frame *uint32, grant *ipc.GrantID, dev *ipc.DevID, peers []ipc.Endpoint) {
	names := []string{"user", "inkernel", "mm", "", "k:idle", "user\x00", string(make([]byte, 300)), "mem0"}
	name := names[int(arg)%len(names)]
	var m ipc.Message
	switch op {
	case 16:
		sys.Self()
		sys.Now()
		sys.Rand()
		sys.MemStats()
	case 17:
		sys.Poll()
	case 18:
		sys.ReplyWait(dst, &m, &m) // may wait for a message that never comes
	case 19:
		sys.Receive(dst, &m)
	case 20:
		sys.Register(name)
	case 21:
		sys.Lookup(name)
	case 22:
		if d, err := sys.Device(name); err == nil {
			*dev = d
		}
	case 23:
		vm := ipc.VMRequest{Op: ipc.VMAlloc}
		if sys.VM(&vm) == nil {
			*frame = vm.Frame
		}
	case 24:
		req := ipc.DevRequest{Op: uint16(arg % 3), Arg: [4]int64{int64(arg) - 128, -1, 1 << 62, 0}, Buf: buf[:int(arg)%len(buf)], Tag: uint64(arg)}
		id := *dev
		if arg%2 == 1 {
			id = ipc.DevID(arg)
		}
		sys.DevStart(id, &req)
	case 25:
		sys.DevDone(ipc.DevID(arg % 4))
	case 26, 27, 28, 29, 30, 31:
		fuzzVM(sys, op, arg, dst, buf, *frame)
	case 32:
		if g, err := sys.Grant(dst, uint64(arg)<<12, uint64(arg)<<8, ipc.Prot(arg%4)); err == nil {
			*grant = g
		}
	case 33:
		g := *grant
		if arg%2 == 1 {
			g = ipc.GrantID(arg)
		}
		sys.Revoke(g)
	case 34:
		sys.GrantCopy(dst, *grant+ipc.GrantID(arg%3), uint64(arg)<<4, buf[:int(arg)%len(buf)], arg%2 == 0)
	case 35:
		fuzzSpawn(sys, arg, peers)
	case 36:
		sys.Supervise()
		sys.WatchExits()
		sys.NextDeath()
	case 37:
		sys.Cred(dst)
		sys.TaskTime(dst)
	case 38:
		sys.SetCred(dst, ipc.Cred{UID: uint32(arg), GID: uint32(arg) * 7})
	case 39:
		sys.Store(uint64(arg)<<14, buf[:int(arg)%len(buf)])
	case 40:
		sys.Exit(int(arg) - 128) // the program ends here
	case 41:
		sys.Update(name, ipc.UpdateStep(arg%5), dst, pick(arg/3, peers))
	}
}

// fuzzVM makes the pager's calls: on the frame the kernel gave, on a
// forged one, for the caller and for any task.
func fuzzVM(sys ipc.Sys, op, arg byte, dst ipc.Endpoint, buf []byte, frame uint32) {
	f := frame
	if arg%3 == 1 {
		f = uint32(arg) << 4
	}
	task := sys.Self()
	if arg%4 == 2 {
		task = dst
	}
	req := ipc.VMRequest{Task: task, VA: uint64(arg) << 12, Frame: f, Prot: ipc.Prot(arg % 4)}
	switch op {
	case 26:
		req.Op = ipc.VMMap
	case 27:
		req.Op, req.Buf = ipc.VMReadFrame, buf[:int(arg)%len(buf)]
	case 28:
		req.Op, req.Buf = ipc.VMWriteFrame, buf[:int(arg)%len(buf)]
	case 29:
		req.Op = []ipc.VMOp{ipc.VMUnmap, ipc.VMProtect, ipc.VMQuery, ipc.VMClearAccessed}[arg%4]
	case 30:
		req.Op = ipc.VMFrames
	case 31:
		req.Op = []ipc.VMOp{ipc.VMFree, ipc.VMOp(0), ipc.VMOp(arg)}[arg%3]
	}
	sys.VM(&req)
}

// fuzzSpawn spawns a child with the caller's record, a narrower one, a
// wider one, other credentials, or absurd scheduling parameters.
func fuzzSpawn(sys ipc.Sys, arg byte, peers []ipc.Endpoint) {
	spec := ipc.TaskSpec{Name: "child", Body: func(sys ipc.Sys) { sys.Compute(int64(arg)) }, Prio: int(arg) - 100, CPU: int(arg) - 2, Pin: arg%5 == 0, Tickets: int(arg) - 1, LengthNs: int64(arg) - 3}
	switch arg % 6 {
	case 1:
		p := ipc.UserPriv()
		spec.Priv = &p
	case 2:
		p := ipc.KernelPriv()
		spec.Priv = &p
	case 3:
		spec.Cred = &ipc.Cred{UID: uint32(arg)}
	case 4:
		spec.Body = nil
	case 5:
		spec.Body = func(sys ipc.Sys) { runProgram(sys, []byte{11, arg, 14, arg, 20, 2}, &peers) }
	}
	sys.Spawn(spec)
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
