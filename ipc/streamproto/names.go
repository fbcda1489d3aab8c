package streamproto

import "github.com/mkos/mkos/ipc"

// Names are the request names of the stream protocol, for traces:
// "tty.read", "pipe.pipe".
var Names = map[ipc.Type]string{Open: "open", Read: "read", Write: "write", Close: "close", Dup: "dup", Pipe: "pipe", Ioctl: "ioctl", Ready: "ready"}

// init registers Names for every stream service (a console placed under
// another name registers them itself).
func init() {
	for _, s := range []string{TTY, Memdev, PipeService} {
		ipc.RegisterNames(s, Names)
	}
}
