package ulib

import (
	"errors"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Main makes a program pm can spawn from a main function over a Proc:
// the Proc is made with the descriptors the process inherited, and every
// descriptor is closed when main returns, so the readers of its pipes see
// their end. The returned code is the exit status.
func Main(main func(p *Proc, argv, env []string) int) pmproto.Program {
	return func(sys ipc.Sys, argv, env []string) int {
		p := New(sys)
		p.table()
		code := main(p, argv, env)
		p.CloseAll()
		return code
	}
}

// Strerror renders an error for a message: the errno's text, with what
// it means in mkos where that is more than libc says.
func Strerror(err error) string {
	var e ipc.Errno
	if !errors.As(err, &e) {
		return err.Error()
	}
	switch e {
	case linux.ESTALE:
		return "stale file handle (the file server restarted since the file was opened)"
	case linux.ENXIO:
		return "no such device (its server is not in the system)"
	case ipc.ErrServiceDied:
		return "the server died while serving the request"
	}
	return e.Error()
}

// Fprintf formats to descriptor fd, ignoring errors: for messages.
func (p *Proc) Fprintf(fd int, format string, args ...any) {
	_, _ = p.Write(fd, []byte(fmt.Sprintf(format, args...)))
}
