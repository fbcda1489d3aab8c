package kernel_test

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// upper is a server that upper-cases the inline payload.
type upper struct{}

func (upper) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message {
	rep := ipc.Reply(req)
	for i, c := range req.Bytes() {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		rep.Payload[i] = c
	}
	rep.Len = req.Len
	return rep
}

// client calls the "upper" service once and prints the answer.
func client(sys ipc.Sys) {
	id, err := sys.Lookup("upper")
	if err != nil {
		fmt.Println("lookup:", err)
		return
	}
	var req, rep ipc.Message
	req.SetBytes([]byte("hello, kernel"))
	if err := sys.Call(ipc.ServiceEndpoint(id), &req, &rep); err != nil {
		fmt.Println("call:", err)
		return
	}
	fmt.Printf("%s (from %v at %s)\n", rep.Bytes(), rep.Source, kernel.FormatNs(sys.Now()))
}

// The same server, placed in its own task and then in the kernel. The
// client cannot tell the difference, except in the time it took.
func Example_placement() {
	// In user space: the server is a task, the request is IPC.
	k, _ := kernel.New(kernel.Config{Seed: 1})
	k.Declare("upper")
	k.Spawn(ipc.TaskSpec{Name: "upper", Body: func(sys ipc.Sys) { ipc.Serve(sys, "upper", upper{}) }})
	k.Spawn(ipc.TaskSpec{Name: "client", Body: client})
	k.Run()

	// In the kernel: the handler runs inside the client's trap.
	k, _ = kernel.New(kernel.Config{Seed: 1})
	k.Place("upper", upper{})
	k.Spawn(ipc.TaskSpec{Name: "client", Body: client})
	k.Run()
	// Output:
	// HELLO, KERNEL (from 1.1 at 370ns)
	// HELLO, KERNEL (from kernel at 125ns)
}

// A server that crashes takes only itself down: its caller gets
// ECONNRESET, and a stale endpoint never reaches the task that reuses its
// slot.
func Example_crash() {
	k, _ := kernel.New(kernel.Config{})
	k.Spawn(ipc.TaskSpec{Name: "fragile", Body: func(sys ipc.Sys) {
		ipc.Serve(sys, "fragile", crasher{})
	}})
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		sys.Sleep(1000) // let the server register
		id, _ := sys.Lookup("fragile")
		var req, rep ipc.Message
		err := sys.Call(ipc.ServiceEndpoint(id), &req, &rep)
		fmt.Println("call:", err, "—", ipc.Explain(ipc.ErrnoOf(err)))
		err = sys.Send(ipc.TaskEndpoint(1, 1), &req)
		fmt.Println("send to the dead server's endpoint:", err)
	}})
	k.Run()
	// Output:
	// call: connection reset by peer — the service instance died while serving the request
	// send to the dead server's endpoint: no such process
}

type crasher struct{}

func (crasher) Handle(*ipc.Ctx, *ipc.Message) ipc.Message { panic("oops") }

// Two machines, each with its own kernel, on one timeline: machine 0
// posts a note to machine 1 over a "wire" of 50 µs, and machine 1's
// listener wakes when it arrives.
func ExampleGroup() {
	g, _ := kernel.NewGroup(50_000) // the wire's latency is the lookahead
	var inbox []string
	for i := 0; i < 2; i++ {
		k, _ := kernel.New(kernel.Config{})
		k.Declare("listener")
		if i == 0 {
			k.Spawn(ipc.TaskSpec{Name: "sender", Body: func(sys ipc.Sys) {
				sys.Compute(10_000)
				fmt.Println("sent at", kernel.FormatNs(sys.Now()))
				g.Post(1, sys.Now()+50_000, func(now int64) {
					inbox = append(inbox, "hello")
					g.Kernel(1).NotifyService("listener", 1, now)
				})
			}})
		} else {
			k.Spawn(ipc.TaskSpec{Name: "listener", Body: func(sys ipc.Sys) {
				sys.Register("listener")
				var m ipc.Message
				sys.Receive(ipc.Any, &m)
				fmt.Println(inbox[0], "received at", kernel.FormatNs(sys.Now()))
			}})
		}
		g.Add(k)
	}
	if err := g.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// sent at 10.075µs
	// hello received at 60.075µs
}
