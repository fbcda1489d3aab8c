package ipc

// Server is a message handler: a file system, a driver, a name server. It
// never knows where it runs. Handle serves one request and returns the reply;
// it runs in the server's own task in micro mode and inside the caller's trap
// in mono mode, and cannot tell the difference.
type Server interface {
	Handle(ctx *Ctx, req *Message) Message
}

// Notified is implemented by servers that take notifications (interrupts,
// timers). Serve calls it for a Notification message.
type Notified interface {
	Notified(ctx *Ctx, bits uint64)
}

// Ctx is what a handler knows about the request it serves.
type Ctx struct {
	// Sys makes system calls on behalf of the server: the server task's own
	// handle in user space, the kernel's in-kernel handle when the server
	// is placed in the kernel.
	Sys Sys
	// Caller is the task that made the request, as stamped by the kernel.
	Caller Endpoint
}

// CopyIn copies the caller's bulk send data at off into dst.
func (c *Ctx) CopyIn(off int, dst []byte) (int, error) {
	return c.Sys.CopyIn(c.Caller, off, dst)
}

// CopyOut copies src into the caller's bulk receive buffer at off.
func (c *Ctx) CopyOut(off int, src []byte) (int, error) {
	return c.Sys.CopyOut(c.Caller, off, src)
}

// Serve registers the task as an instance of service name and runs the
// server loop: receive, handle, reply — one ReplyWait trap per request. It
// returns only when the kernel fails a receive (the system halted).
//
// Serve answers Ping itself, and a live update's StateGet and StatePut
// with the server's Stateful methods (ENOSYS when it has none).
//
// A server that implements ExitWatcher watches exits (Sys.WatchExits; a
// task without the KExits privilege serves without them) and has Exited
// called for each death notice, before Notified sees the other bits.
//
// LECTURE: server-loop
func Serve(sys Sys, name string, srv Server) error {
	if _, err := sys.Register(name); err != nil {
		return err
	}
	watcher, watches := srv.(ExitWatcher)
	if watches {
		_ = sys.WatchExits() // EPERM: no notices; the kernel traces the refusal
	}
	ctx := Ctx{Sys: sys}
	stateful, _ := srv.(Stateful)
	st := stateServer{srv: stateful}
	var req, reply Message
	if err := sys.Receive(Any, &req); err != nil {
		return err
	}
	for {
		to := req.Source
		switch req.Type {
		default:
			ctx.Caller = req.Source
			reply = srv.Handle(&ctx, &req)
		case Notification:
			to = KernelEndpoint // notifications take no reply
			bits := req.Word(0)
			if watches && bits&NotifyDeath != 0 {
				DeliverDeaths(&ctx, watcher)
				if bits &^= NotifyDeath; bits == 0 {
					break
				}
			}
			if n, ok := srv.(Notified); ok {
				ctx.Caller = KernelEndpoint
				n.Notified(&ctx, bits)
			}
		case Ping:
			reply = Reply(&req)
		case StateGet, StatePut:
			ctx.Caller = req.Source
			reply = st.serveState(&ctx, &req)
		}
		if reply.Type == NoReply {
			to = KernelEndpoint // the handler answers later with Reply
		}
		if err := sys.ReplyWait(to, &reply, &req); err != nil {
			return err
		}
	}
}
