package netcmd

import (
	"net/netip"

	"github.com/mkos/mkos/ipc/fsproto"
)

// System is what the network programs ask of the system: the file calls
// of the system-call library, virtual time, and the socket calls. Proc
// (proc.go) provides it over a ulib.Proc; the tests provide a scripted
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
	Interfaces() ([]Iface, error)
	// NetSockets lists the sockets of the system, for netstat.
	NetSockets() ([]SockInfo, error)
}

// PollFd is one descriptor of a PollFds call: what to wait for (Events)
// and what is ready (Revents), as struct pollfd.
type PollFd struct {
	Fd      int
	Events  int16
	Revents int16
}

// The socket constants, with Linux's values.
const (
	AF_INET      = 2
	SOCK_STREAM  = 1
	SOCK_DGRAM   = 2
	IPPROTO_ICMP = 1
	SHUT_RD      = 0
	SHUT_WR      = 1
	SHUT_RDWR    = 2
	POLLIN       = 0x1
	POLLOUT      = 0x4
	POLLERR      = 0x8
	POLLHUP      = 0x10
	POLLNVAL     = 0x20
)

// Iface is one network interface as ifconfig shows it.
type Iface struct {
	Name     string
	Index    int
	MTU      int
	Up       bool
	Loopback bool
	MAC      [6]byte
	Addrs    []netip.Prefix
	// Counters since boot.
	RxPackets, RxBytes, RxErrors, RxDropped uint64
	TxPackets, TxBytes, TxErrors, TxDropped uint64
}

// SockInfo is one socket as netstat shows it. The TCP fields are zero
// for other protocols.
type SockInfo struct {
	Proto           string // "tcp", "udp", "icmp"
	Local, Remote   netip.AddrPort
	State           string // Linux's names: LISTEN, ESTABLISHED, TIME_WAIT, …; "" for udp
	RecvQ, SendQ    int
	CwndSegs        int   // TCP: the congestion window, in segments
	SsthreshSegs    int   // TCP: the slow-start threshold, in segments
	RTTNs           int64 // TCP: the smoothed round-trip time
	Retransmits     int   // TCP: segments sent again
	SegsOut, SegsIn int
}
