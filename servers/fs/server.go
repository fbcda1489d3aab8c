package fs

import (
	"errors"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/bdev"
)

// Server is the file server: the IPC face of an FS. It mounts the file
// system on its first request — so a restarted server remounts, and
// recovers through the journal, on the first request after the restart —
// and then serves each request with the FS operation of the same name.
//
// It runs the same as its own task (micro) and inside the caller's trap
// (mono): it reaches the disk only through ctx.Sys. In the kernel,
// though, a second caller can enter Handle while the first waits for the
// disk; the server then queues the second request (ipc.NoReply) and
// serves it, in the first caller's trap, as soon as the first is done:
// the file system is never entered twice at once.
type Server struct {
	// Dev, when set, is the disk, instead of the "disk" service: for
	// tests and tools that have the device at hand.
	Dev bdev.BlockDev
	// Opts tune the mount (Now is set by the server).
	Opts Options

	fs       *FS
	disk     *bdev.Disk
	sys      ipc.Sys // the Sys of the request being served
	mountErr error

	busy   bool
	queue  []ipc.Message
	queued int64  // requests that waited in the queue, ever
	buf    []byte // bulk data in and out, ipc.MaxBulk bytes
	// dead are the tasks whose death arrived while busy: their
	// descriptors are released once the queue is served (exit.go).
	dead []ipc.Endpoint
	// resume is what a predecessor handed over in a live update, for
	// the next mount (state.go).
	resume *fsState
	// st are the streams being served (stream.go).
	st streams
}

// New returns a file server that mounts the disk service's file system:
// the constructor in boot's server table.
func New() ipc.Server { return &Server{} }

// NewDurable returns a file server that commits before every reply (see
// Options.Durable): the one boot runs under the operating system.
func NewDurable() ipc.Server { return &Server{Opts: Options{Durable: true}} }

// NewOn returns a file server over dev.
func NewOn(dev bdev.BlockDev, opts Options) *Server { return &Server{Dev: dev, Opts: opts} }

// Handle serves one request (see Server for the queue).
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if s.busy {
		s.queue = append(s.queue, *req)
		s.queued++
		return ipc.Message{Type: ipc.NoReply}
	}
	s.busy = true
	rep := s.serve(ctx, req)
	s.drain(ctx.Sys)
	s.busy = false
	return rep
}

// drain serves the requests that queued while the server was busy, then
// releases the tasks whose death arrived meanwhile, until neither is
// left. A dead task's requests queued before its death, so they are
// served before its descriptors go.
func (s *Server) drain(sys ipc.Sys) {
	for len(s.queue) > 0 || len(s.dead) > 0 {
		for len(s.queue) > 0 {
			q := s.queue[0]
			s.queue = s.queue[1:]
			qctx := ipc.Ctx{Sys: sys, Caller: q.Source}
			r := s.serve(&qctx, &q)
			_ = sys.Reply(q.Source, &r) // a caller that died meanwhile wants no reply
		}
		if len(s.dead) > 0 {
			task := s.dead[0]
			s.dead = s.dead[1:]
			s.releaseDead(sys, task)
		}
	}
}

// serve mounts if needed and runs the request's handler.
func (s *Server) serve(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	h := handlers[req.Type]
	if h == nil {
		return ipc.ErrorReply(req, linux.ENOSYS)
	}
	if e := checkFields(req); e != 0 {
		return ipc.ErrorReply(req, e)
	}
	s.bind(ctx.Sys)
	if err := s.mount(); err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	s.fs.SetCaller(callerOf(ctx))
	rep, err := h(s, ctx, req)
	if err == nil && s.Opts.Durable && s.fs != nil {
		err = s.fs.Sync() // nothing pending commits nothing
	}
	s.watchSizes(ctx.Sys)
	if err != nil {
		return ipc.ErrorReply(req, ipc.ErrnoOf(err))
	}
	rep.Type = req.Type
	return rep
}

// callerOf returns how to learn the credentials of ctx's caller: from the
// kernel, never from the request (perm.go). In the kernel ctx.Caller is
// the trapping task; in user space, the sender.
func callerOf(ctx *ipc.Ctx) func() ipc.Cred {
	return func() ipc.Cred {
		c, err := ctx.Sys.Cred(ctx.Caller)
		if err != nil {
			return nobody
		}
		return c
	}
}

// bind makes the server's disk requests and clock readings with sys.
func (s *Server) bind(sys ipc.Sys) {
	s.sys = sys
	if s.disk != nil {
		s.disk.Bind(sys)
	}
	if s.buf == nil {
		s.buf = make([]byte, ipc.MaxBulk)
	}
}

// mount mounts the file system unless it is mounted and well. A file
// system stopped by a disk error is mounted again: what it had not
// committed is lost, as in a crash. A corrupt one is not tried again: it
// stays corrupt until fsck repairs it, offline.
func (s *Server) mount() error {
	if s.fs != nil && s.fs.Failed() == nil {
		return nil
	}
	if errors.Is(s.mountErr, linux.EUCLEAN) {
		return s.mountErr
	}
	s.fs = nil
	dev, err := s.device()
	if err != nil {
		s.mountErr = err
		return err
	}
	opts := s.Opts
	opts.Now = func() int64 { return s.sys.Now() }
	opts.Resume = s.resume != nil
	fs, err := Mount(dev, opts)
	s.mountErr = err
	if err != nil {
		return err
	}
	if s.resume != nil {
		fs.adopt(s.resume)
		fs.opts.Resume = false // a later mount (after a disk error) is a fresh one
		s.resume = nil
	}
	s.fs = fs
	return nil
}

// device returns Dev or the disk service.
func (s *Server) device() (bdev.BlockDev, error) {
	if s.Dev != nil {
		return s.Dev, nil
	}
	if s.disk != nil {
		return s.disk, nil
	}
	id, err := s.sys.Lookup(diskproto.Name)
	if err != nil {
		return nil, fmt.Errorf("mount: no %q service: %w", diskproto.Name, linux.ENODEV)
	}
	d, err := bdev.NewDisk(diskproto.Client{Sys: s.sys, Dst: ipc.ServiceEndpoint(id)})
	if err != nil {
		return nil, fmt.Errorf("mount: the disk does not answer: %w", err)
	}
	s.disk = d
	return d, nil
}

// MountError returns why the last mount failed, nil after a good one: the
// full story behind the errno (EUCLEAN, ENODEV, EIO) callers saw.
func (s *Server) MountError() error { return s.mountErr }

// Queued returns how many requests entered while another was served and
// waited in the queue (in the kernel only).
func (s *Server) Queued() int64 { return s.queued }

// FS returns the mounted file system, or nil.
func (s *Server) FS() *FS { return s.fs }

// errFault is the error of a bulk window shorter than the request said.
var errFault = errors.New("bulk window shorter than the request: " + linux.EFAULT.Error())
