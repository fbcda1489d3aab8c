package tty

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Handles. The console is one stream, so a handle needs no table: it
// carries everything the driver must know — that it is a console handle
// and its access mode — and any instance of the driver accepts it. That
// is what lets a handle outlive a restart of the driver.
//
//	bits 48–63  handleTag, "tt"
//	bits  2–47  a sequence number, so that handles differ
//	bits  0–1   the access mode, linux.O_RDONLY, O_WRONLY or O_RDWR
type handle uint64

const handleTag = 0x7474

// parseHandle checks a handle a request carries.
func parseHandle(w uint64) (handle, bool) {
	h := handle(w)
	return h, w>>48 == handleTag && h.mode() != linux.O_ACCMODE
}

func (h handle) mode() int      { return int(h & linux.O_ACCMODE) }
func (h handle) canRead() bool  { return h.mode() != linux.O_WRONLY }
func (h handle) canWrite() bool { return h.mode() != linux.O_RDONLY }

// newHandle makes a handle with access mode m.
func (d *Driver) newHandle(m int) handle {
	d.tag++
	return handle(handleTag<<48 | (d.tag&(1<<46-1))<<2 | uint64(m))
}

// openStream opens the console: the name "", "console" or "tty".
func (d *Driver) openStream(req *ipc.Message) ipc.Message {
	name, flags, err := streamproto.OpenArgs(req)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	switch {
	case name != "" && name != "console" && name != "tty":
		return ipc.ErrorReply(req, linux.ENOENT)
	case flags&linux.O_ACCMODE == linux.O_ACCMODE:
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(d.newHandle(flags&linux.O_ACCMODE)))
	return rep
}

// closeHandle closes a handle: nothing to release, the console stays.
func (d *Driver) closeHandle(req *ipc.Message) ipc.Message {
	if _, ok := parseHandle(req.Word(0)); !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	return ipc.Reply(req)
}

// dup makes another handle with the same access mode.
func (d *Driver) dup(req *ipc.Message) ipc.Message {
	h, ok := parseHandle(req.Word(0))
	if !ok {
		return ipc.ErrorReply(req, linux.EBADF)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(d.newHandle(h.mode())))
	return rep
}
