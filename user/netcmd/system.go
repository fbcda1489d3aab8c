package netcmd

import (
	"net/netip"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/user/ulib"
)

// System is what the network programs ask of the system: the file calls
// of the system-call library, virtual time, and the socket calls. Proc
// provides it over a ulib.Proc; the tests provide a scripted
// network instead, so every program's output and errors can be checked
// without a booted system.
type System interface {
	Open(path string, flags int, mode uint32) (int, error)
	Read(fd int, b []byte) (int, error)
	Write(fd int, b []byte) (int, error)
	Close(fd int) error
	Stat(path string) (fsproto.Attr, error)
	ReadDir(path string) ([]fsproto.DirEntry, error)
	// Now is the virtual time in nanoseconds since boot.
	Now() int64
	// Sleep blocks for ns nanoseconds of virtual time.
	Sleep(ns int64) error

	Socket(domain, typ, proto int) (int, error)
	Bind(fd int, a netip.AddrPort) error
	Listen(fd, backlog int) error
	Accept(fd int) (int, netip.AddrPort, error)
	Connect(fd int, a netip.AddrPort) error
	Send(fd int, b []byte) (int, error)
	Recv(fd int, b []byte) (int, error)
	SendTo(fd int, b []byte, a netip.AddrPort) (int, error)
	RecvFrom(fd int, b []byte) (int, netip.AddrPort, error)
	Shutdown(fd, how int) error
	SockName(fd int) (netip.AddrPort, error)
	PeerName(fd int) (netip.AddrPort, error)
	// PollFds waits until one of fds is ready for what its Events ask,
	// or timeoutNs of virtual time pass (negative: no limit); it sets
	// Revents and returns how many are ready (0 on timeout).
	PollFds(fds []PollFd, timeoutNs int64) (int, error)
	// Interfaces lists the network interfaces, for ifconfig and ip.
	Interfaces() ([]netproto.Interface, error)
	// NetSockets lists the sockets of the system, for netstat.
	NetSockets() ([]netproto.SocketInfo, error)
}

// PollFd is one descriptor of a PollFds call, the system-call
// library's.
type PollFd = ulib.PollFd

// Proc is the System of a running program: its ulib.Proc, with the
// kernel's clock.
type Proc struct{ *ulib.Proc }

// Now is the virtual time in nanoseconds since boot.
func (p Proc) Now() int64 { return p.Sys.Now() }
