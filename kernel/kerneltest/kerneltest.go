package kerneltest

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// limitNs bounds a test run's virtual time, so that a request a server
// never answers ends the run instead of hanging the test.
const limitNs = 60_000_000_000

// Placed boots a kernel with srv placed in it as service name, runs body
// in a task, and returns what the run did wrong: a *kernel.Panic when the
// handler panicked, an error naming a task that died of a Go panic, nil
// when nothing did.
func Placed(name string, srv ipc.Server, body func(sys ipc.Sys)) error {
	return run(func(k *kernel.Kernel) error {
		_, err := k.Place(name, srv)
		return err
	}, body)
}

// Answer is a fake server's answer to one request: the reply, and the
// bytes to copy into the caller's receive window first (nil for none).
type Answer func(req *ipc.Message) (rep ipc.Message, window []byte)

// Fake boots a kernel with a fake server in its own task, registered as
// service name and answering every request with answer, runs client in a
// task, and returns what the run did wrong, as Placed does: a client
// stub that panics on a reply is an error naming the client task.
func Fake(name string, answer Answer, client func(sys ipc.Sys)) error {
	return run(func(k *kernel.Kernel) error {
		if _, err := k.Declare(name); err != nil {
			return err
		}
		_, err := k.Spawn(ipc.TaskSpec{Name: "fake-" + name, Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, name, fake(answer)) }})
		return err
	}, client)
}

// fake is the fake server's handler.
type fake Answer

func (f fake) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	rep, window := f(req)
	if len(window) > 0 {
		_, _ = ctx.CopyOut(0, window[:min(len(window), ipc.MaxBulk)])
	}
	return rep
}

// run boots a kernel, lets setup add the servers, runs body as task
// "client", and reports the run's error or a task's panic.
func run(setup func(k *kernel.Kernel) error, body func(sys ipc.Sys)) error {
	deaths := &Panics{}
	k, err := kernel.New(kernel.Config{Seed: 1, MaxTimeNs: limitNs, Trace: deaths})
	if err != nil {
		return err
	}
	if err := setup(k); err != nil {
		return err
	}
	if _, err := k.Spawn(ipc.TaskSpec{Name: "client", Body: body}); err != nil {
		return err
	}
	if err := k.Run(); err != nil {
		return err
	}
	return deaths.Err()
}

// Panics is a kernel tracer that records the tasks that died of a Go
// panic: a server in user space, or a program in a stub.
type Panics struct{ died []string }

// Event keeps the deaths whose cause is a panic.
func (p *Panics) Event(e *kernel.Event) {
	if e.Kind == kernel.EvDeath && strings.HasPrefix(e.Detail, "panic") {
		p.died = append(p.died, e.Name+": "+e.Detail)
	}
}

// Err names the tasks that died of a panic; nil when none did.
func (p *Panics) Err() error {
	if len(p.died) == 0 {
		return nil
	}
	return fmt.Errorf("a task died of a Go panic: %s", strings.Join(p.died, "; "))
}
