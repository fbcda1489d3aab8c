package boot

import (
	"io"

	"github.com/mkos/mkos/kernel"
)

// The host's files that code in the engine reads and writes — the
// console's standard input and output, a script typed at the UART, its
// screen — may block for as long as the host likes: a person typing, a
// pipe to a pager. Such a wait is no spin: each call is marked as a wait
// on the host, so the watchdog does not stop the run.

// hostReader is a reader whose every Read is a wait on the host.
type hostReader struct {
	r io.Reader
	p *kernel.Pulse
}

func (h hostReader) Read(b []byte) (int, error) {
	h.p.HostWait(true)
	defer h.p.HostWait(false)
	return h.r.Read(b)
}

// hostWriter is a writer whose every Write is a wait on the host.
type hostWriter struct {
	w io.Writer
	p *kernel.Pulse
}

func (h hostWriter) Write(b []byte) (int, error) {
	h.p.HostWait(true)
	defer h.p.HostWait(false)
	return h.w.Write(b)
}

// hostIn returns r with its reads marked as waits on the host: r must be
// read by code the engine runs (a device, a server in the kernel).
func (s *System) hostIn(r io.Reader) io.Reader {
	if r == nil || s.watch.Pulse() == nil {
		return r
	}
	return hostReader{r, s.watch.Pulse()}
}

// hostOut returns w with its writes marked as waits on the host.
func (s *System) hostOut(w io.Writer) io.Writer {
	if w == nil || s.watch.Pulse() == nil {
		return w
	}
	return hostWriter{w, s.watch.Pulse()}
}

// OnHost runs f, which waits for the host (a request from a host
// program, through a channel), as a wait on the host: the watchdog does
// not take it for a spin. Call it only from code the engine runs (a
// task's body).
func (s *System) OnHost(f func()) {
	p := s.watch.Pulse()
	if p != nil {
		p.HostWait(true)
		defer p.HostWait(false)
	}
	f()
}
