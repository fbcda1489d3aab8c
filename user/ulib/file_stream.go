package ulib

import (
	"errors"
	"sort"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Streams: devices under /dev/, pipes, and any stream service opened by
// name. They all speak ipc/streamproto.

// Device is a file under /dev/: the stream service that serves it and the
// name of the stream to open there.
type Device struct {
	Service string
	Stream  string
}

// Devices is the /dev table: a device file's name → who serves it. A
// device whose service is not in the system does not exist (ENOENT for
// stat, ENXIO for open).
var Devices = map[string]Device{
	"null":   {Service: streamproto.Memdev, Stream: "null"},
	"zero":   {Service: streamproto.Memdev, Stream: "zero"},
	"random": {Service: streamproto.Memdev, Stream: "random"},
	"full":   {Service: streamproto.Memdev, Stream: "full"},
	"tty":    {Service: streamproto.TTY, Stream: ""},
}

// devPath returns the device name of a path under /dev ("" for /dev
// itself).
func devPath(abs string) (string, bool) {
	if abs == "/dev" {
		return "", true
	}
	name, ok := strings.CutPrefix(abs, "/dev/")
	return name, ok
}

// service returns the id of the named service, looking it up once.
func (p *Proc) service(name string) (ipc.ServiceID, error) {
	t := p.table()
	if id, ok := t.svcs[name]; ok {
		return id, nil
	}
	id, err := p.Sys.Lookup(name)
	if err != nil {
		return 0, err
	}
	t.svcs[name] = id
	return id, nil
}

// stream returns the stubs of stream service id.
func (p *Proc) stream(id ipc.ServiceID) streamproto.Client {
	return streamproto.Client{Sys: p.Sys, Dst: ipc.ServiceEndpoint(id)}
}

// openDevice opens device name.
func (p *Proc) openDevice(name string, flags int) (int, error) {
	d, ok := Devices[name]
	switch {
	case name == "":
		return -1, linux.EISDIR
	case !ok:
		return -1, linux.ENOENT
	}
	return p.openStream(d.Service, d.Stream, name, flags)
}

// OpenStream opens stream name of the named stream service and returns a
// descriptor: how init reaches a console that is not a /dev/ device.
func (p *Proc) OpenStream(service, name string, flags int) (int, error) {
	return p.openStream(service, name, service+":"+name, flags)
}

func (p *Proc) openStream(service, name, dev string, flags int) (int, error) {
	if len(p.OpenFds()) >= maxFds {
		return -1, linux.EMFILE
	}
	id, err := p.service(service)
	if err != nil {
		return -1, linux.ENXIO // the device's driver is not in the system
	}
	var h streamproto.Handle
	err = retryNoInstance(func() error {
		h, err = p.stream(id).OpenStream(name, flags&linux.O_ACCMODE)
		return err
	})
	if err != nil {
		return -1, err
	}
	f := &openFile{kind: kindStream, svc: id, h: h, dev: dev, flags: flags & linux.O_ACCMODE}
	return p.install(f, 0), nil
}

// retryNoInstance runs op again while the service has no instance.
func retryNoInstance(op func() error) error {
	for try := 0; ; try++ {
		err := op()
		if !errors.Is(err, ipc.ErrNoInstance) || try == maxRetries {
			return err
		}
	}
}

// readStream reads from a stream. A read whose server died is sent again
// (the bytes were not delivered), and so is one a caught signal
// interrupted (EINTR), once its handler ran — unless InterruptReads asks
// for the EINTR.
func (p *Proc) readStream(f *openFile, buf []byte) (int, error) {
	if f.dev == devSocket {
		return p.stream(f.svc).Read(f.h, buf) // a reset connection is not read again
	}
	var n int
	err := retryNoInstance(func() error {
		var err error
		for try := 0; ; try++ {
			n, err = p.stream(f.svc).Read(f.h, buf)
			switch {
			case errors.Is(err, linux.EINTR):
				if p.Poll(); p.InterruptReads {
					return err
				}
				try = 0
			case !errors.Is(err, ipc.ErrServiceDied) || try == maxRetries:
				return err
			}
		}
	})
	return n, err
}

// writeStream writes to a stream. A write whose server died fails with
// EIO: the bytes may have gone out.
func (p *Proc) writeStream(f *openFile, data []byte) (int, error) {
	if f.dev == devSocket {
		return p.stream(f.svc).Write(f.h, data) // ECONNRESET when the net server died
	}
	var n int
	err := retryNoInstance(func() error {
		var err error
		n, err = p.stream(f.svc).Write(f.h, data)
		return err
	})
	if errors.Is(err, ipc.ErrServiceDied) {
		err = linux.EIO
	}
	return n, err
}

// Pipe makes a pipe through the pipe service and returns its read and
// write descriptors. ENOSYS when the system has no pipe service.
func (p *Proc) Pipe() (r, w int, err error) {
	if len(p.OpenFds())+2 > maxFds {
		return -1, -1, linux.EMFILE
	}
	id, err := p.service(streamproto.PipeService)
	if err != nil {
		return -1, -1, linux.ENOSYS
	}
	var rh, wh streamproto.Handle
	err = retryNoInstance(func() error {
		rh, wh, err = p.stream(id).Pipe()
		return err
	})
	if err != nil {
		return -1, -1, err
	}
	r = p.install(&openFile{kind: kindStream, svc: id, h: rh, dev: "pipe", flags: linux.O_RDONLY}, 0)
	w = p.install(&openFile{kind: kindStream, svc: id, h: wh, dev: "pipe", flags: linux.O_WRONLY}, 0)
	return r, w, nil
}

// Ioctl sends a control to the stream service of fd (ENOTTY for a file).
func (p *Proc) Ioctl(fd int, cmd, arg uint64) (uint64, error) {
	f, err := p.file(fd)
	if err != nil {
		return 0, err
	}
	if f.kind != kindStream {
		return 0, linux.ENOTTY
	}
	return p.stream(f.svc).Ioctl(f.h, cmd, arg)
}

// Isatty reports whether fd is a terminal: a stream whose service knows
// the console's IoctlGetMode (the others answer ENOTTY).
func (p *Proc) Isatty(fd int) bool {
	f, err := p.file(fd)
	if err != nil || f.kind != kindStream || f.dev == "pipe" || f.dev == devSocket {
		return false
	}
	_, err = p.stream(f.svc).Mode(f.h)
	return err == nil
}

// Tcsetpgrp makes pgid the foreground process group of the terminal at
// fd: the group ^C signals.
func (p *Proc) Tcsetpgrp(fd, pgid int) error {
	f, err := p.file(fd)
	if err != nil {
		return err
	}
	if f.kind != kindStream {
		return linux.ENOTTY
	}
	return p.stream(f.svc).SetForeground(f.h, pgid)
}

// streamAttr is what stat says of a stream.
func streamAttr(dev string) fsproto.Attr {
	switch dev {
	case "pipe":
		return fsproto.Attr{Mode: linux.S_IFIFO | 0o600, Nlink: 1}
	case devSocket:
		return fsproto.Attr{Mode: linux.S_IFSOCK | 0o777, Nlink: 1}
	}
	return fsproto.Attr{Mode: linux.S_IFCHR | 0o666, Nlink: 1}
}

// statDevice describes /dev or one of its devices.
func (p *Proc) statDevice(name string) (fsproto.Attr, error) {
	if name == "" {
		return fsproto.Attr{Mode: linux.S_IFDIR | 0o755, Nlink: 2}, nil
	}
	d, ok := Devices[name]
	if !ok {
		return fsproto.Attr{}, linux.ENOENT
	}
	if _, err := p.service(d.Service); err != nil {
		return fsproto.Attr{}, linux.ENOENT
	}
	return streamAttr(name), nil
}

// readDevDir lists /dev: the devices whose services are there.
func (p *Proc) readDevDir(name string) ([]fsproto.DirEntry, error) {
	if name != "" {
		if _, err := p.statDevice(name); err != nil {
			return nil, err
		}
		return nil, linux.ENOTDIR
	}
	es := []fsproto.DirEntry{{Name: ".", Type: linux.DT_DIR}, {Name: "..", Type: linux.DT_DIR}}
	var names []string
	for n, d := range Devices {
		if _, err := p.service(d.Service); err == nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		es = append(es, fsproto.DirEntry{Name: n, Type: linux.DT_CHR})
	}
	return es, nil
}
