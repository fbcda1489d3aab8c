package boot

import (
	"io"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// ConsoleService is the name of the host console service.
const ConsoleService = "console"

// Console is a stream service (ipc/streamproto) over the host's standard
// files: its streams "stdin", "stdout" and "stderr" are In, Out and Err.
// `mkos run -c` places it in the kernel and init opens it as descriptors
// 0, 1 and 2, so a shell's output is the host's, byte for byte. It is the
// host's end of the system, not a driver: reading In blocks the whole
// simulation until the host answers, which is right for a pipe or a file
// and wrong for a person at a terminal — `mkos shell` has the tty driver.
type Console struct {
	In       io.Reader
	Out, Err io.Writer

	next    streamproto.Handle
	handles map[streamproto.Handle]string
	eof     bool
	buf     []byte
}

// consoleStreams are the console's streams and the access they allow.
var consoleStreams = map[string]int{"stdin": linux.O_RDONLY, "stdout": linux.O_WRONLY, "stderr": linux.O_WRONLY}

// Handle serves one request.
func (c *Console) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if c.handles == nil {
		c.handles = map[streamproto.Handle]string{}
	}
	rep := ipc.Reply(req)
	if req.Type == streamproto.Open {
		name, _, err := streamproto.OpenArgs(req)
		if _, ok := consoleStreams[name]; err != nil || !ok {
			return ipc.ErrorReply(req, linux.ENOENT)
		}
		rep.SetWord(0, uint64(c.add(name)))
		return rep
	}
	h := streamproto.Handle(req.Word(0))
	name, ok := c.handles[h]
	if !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	switch req.Type {
	case streamproto.Read:
		return c.read(ctx, req, name)
	case streamproto.Write:
		return c.write(ctx, req, name)
	case streamproto.Dup:
		rep.SetWord(0, uint64(c.add(name)))
	case streamproto.Close:
		delete(c.handles, h)
	case streamproto.Ready:
		rep.SetWord(0, c.ready(name))
	default:
		return ipc.ErrorReply(req, linux.ENOTTY)
	}
	return rep
}

func (c *Console) add(name string) streamproto.Handle {
	c.next++
	c.handles[c.next] = name
	return c.next
}

func (c *Console) read(ctx *ipc.Ctx, req *ipc.Message, name string) ipc.Message {
	if name != "stdin" {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	want, ok := streamproto.CountOf(req)
	if !ok {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	if len(c.buf) == 0 && !c.eof && c.In != nil {
		b := make([]byte, 4096)
		n, err := c.In.Read(b)
		c.buf, c.eof = b[:n], err != nil && n == 0
	}
	n, err := ctx.CopyOut(0, c.buf[:min(len(c.buf), want)])
	c.buf = c.buf[n:]
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n))
	return rep
}

func (c *Console) write(ctx *ipc.Ctx, req *ipc.Message, name string) ipc.Message {
	w := c.Out
	switch name {
	case "stdin":
		return ipc.ErrorReply(req, linux.EBADF)
	case "stderr":
		w = c.Err
	}
	want, ok := streamproto.CountOf(req)
	if !ok {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	b := make([]byte, want)
	n, err := ctx.CopyIn(0, b)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	if w != nil {
		if _, err := w.Write(b[:n]); err != nil {
			return ipc.ErrorReply(req, linux.EIO)
		}
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n))
	return rep
}

// ready answers Ready: the console's input is read from the host without
// virtual waiting, so stdin is always readable and the outputs writable.
func (c *Console) ready(name string) uint64 {
	if name == "stdin" {
		return linux.POLLIN
	}
	return linux.POLLOUT
}
