package nullproto

import "github.com/mkos/mkos/ipc"

// Name is the service name the null server registers.
const Name = "null"

// Null is the only request type.
const Null ipc.Type = 1

// Call makes one null call to the service at dst, reusing the caller's
// message buffers so that the call allocates nothing.
func Call(sys ipc.Sys, dst ipc.Endpoint, req, rep *ipc.Message) error {
	req.Type = Null
	err := sys.Call(dst, req, rep)
	if err == nil && rep.Errno != 0 {
		err = ipc.ReplyErr(rep, Errnos)
	}
	return err
}
