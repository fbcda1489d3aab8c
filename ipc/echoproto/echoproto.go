package echoproto

import "github.com/mkos/mkos/ipc"

// Name is the service name the echo server registers.
const Name = "echo"

// Request types.
const (
	// Echo returns the request's inline payload, and copies the bulk send
	// window into the bulk receive window when there is one.
	Echo ipc.Type = iota + 1
	// Crash makes the server panic: fault injection for demos and tests.
	Crash
	// Count: reply W0 = the Echo requests the service has served, the
	// state a live update keeps (and a restart loses).
	Count
)

// Call echoes in through the service at dst into out and returns the number
// of bytes echoed. Up to ipc.PayloadSize bytes travel inline; more travel
// through the bulk window, checked and copied by the kernel.
func Call(sys ipc.Sys, dst ipc.Endpoint, in, out []byte) (int, error) {
	var req, rep ipc.Message
	req.Type = Echo
	if len(in) <= ipc.PayloadSize {
		req.SetBytes(in)
		if err := sys.Call(dst, &req, &rep); err != nil {
			return 0, err
		}
		if err := ipc.ReplyErr(&rep, Errnos); err != nil {
			return 0, err
		}
		return copy(out, rep.Bytes()), nil
	}
	req.SetWord(0, uint64(len(in)))
	if err := sys.CallWith(dst, &req, &rep, &ipc.Extra{Send: in, Recv: out}); err != nil {
		return 0, err
	}
	if err := ipc.ReplyErr(&rep, Errnos); err != nil {
		return 0, err
	}
	n, ok := ipc.Count(rep.Word(0), min(len(in), len(out)))
	if !ok {
		return 0, ipc.ErrBadReply
	}
	return n, nil
}

// CrashIt asks the server at dst to panic. The caller sees the failure the
// placement implies: ErrServiceDied in user space, a halted system in the
// kernel.
func CrashIt(sys ipc.Sys, dst ipc.Endpoint) error {
	req := ipc.Message{Type: Crash}
	var rep ipc.Message
	return sys.Call(dst, &req, &rep)
}

// Served returns the number of Echo requests the service at dst has
// served.
func Served(sys ipc.Sys, dst ipc.Endpoint) (uint64, error) {
	req := ipc.Message{Type: Count}
	rep, err := ipc.Do(sys, dst, &req, nil, Errnos)
	return rep.Word(0), err
}
