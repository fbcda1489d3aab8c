package netproto

import (
	"encoding/binary"
	"net/netip"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Name is the service the net server registers.
const Name = "net"

// Request types. Each carries the socket's handle in Word(0) unless it
// says otherwise. They start at 64 so that they never meet streamproto's,
// which the server answers on the same handles.
const (
	// Socket makes a socket: Word(0) the domain (linux.AF_INET, AF_INET6),
	// Word(1) the type (linux.SOCK_STREAM, SOCK_DGRAM; | SOCK_NONBLOCK),
	// Word(2) the protocol (0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP with
	// SOCK_DGRAM for ping). Reply: the handle in Word(0).
	Socket ipc.Type = iota + 64
	// Bind binds the socket to the address at AddrOff.
	Bind
	// Listen makes a stream socket listen, Word(1) the backlog.
	Listen
	// Accept takes a connection from a listening socket: Word(1) the new
	// socket's flags (linux.SOCK_NONBLOCK). Reply: the new handle in
	// Word(0), the peer's address at AddrOff.
	Accept
	// Connect connects the socket to the address at AddrOff (a datagram
	// socket: sets its default destination).
	Connect
	// SendTo sends Word(1) bytes from the send window, Word(2) the flags
	// (linux.MSG_DONTWAIT), to the address at SendAddrOff (family 0: the
	// connected peer). Reply: the count in Word(0).
	SendTo
	// RecvFrom receives up to Word(1) bytes into the receive window,
	// Word(2) the flags (MSG_DONTWAIT, MSG_PEEK). Reply: the count in
	// Word(0) (0: end of file on a stream), the sender at AddrOff.
	RecvFrom
	// Shutdown shuts the socket down, Word(1) linux.SHUT_RD, SHUT_WR or
	// SHUT_RDWR.
	Shutdown
	// SockName returns the socket's own address at AddrOff.
	SockName
	// PeerName returns the connected peer's address at AddrOff.
	PeerName
	// SetFlags sets the socket's flags, Word(1) linux.O_NONBLOCK or 0
	// (fcntl F_SETFL). Reply: the old flags in Word(0).
	SetFlags
	// Interfaces lists the interfaces (ifconfig) as JSON []Interface in
	// the receive window; no handle. Reply: the size in Word(0).
	Interfaces
	// Sockets lists every socket (netstat) as JSON []SocketInfo.
	Sockets
	// Routes lists the routing table as JSON []Route.
	Routes
)

// Offsets of addresses in the payload, and the size of one.
const (
	AddrOff     = 8
	SendAddrOff = 24
	AddrSize    = 19
)

// PutAddr writes a at payload offset off (a zero AddrPort as family 0).
func PutAddr(m *ipc.Message, off int, a netip.AddrPort) {
	b := m.Payload[off : off+AddrSize]
	clear(b)
	if ip := a.Addr(); ip.IsValid() {
		b[0] = 6
		if ip.Is4() {
			b[0] = 4
		}
		binary.LittleEndian.PutUint16(b[1:], a.Port())
		raw := ip.AsSlice()
		copy(b[3:], raw)
	}
	if int(m.Len) < off+AddrSize {
		m.Len = uint16(off + AddrSize)
	}
}

// GetAddr reads the address at payload offset off: the zero AddrPort for
// family 0, EINVAL for a family it does not know or a zone it cannot hold.
func GetAddr(m *ipc.Message, off int) (netip.AddrPort, error) {
	b := m.Payload[off : off+AddrSize]
	port := binary.LittleEndian.Uint16(b[1:])
	switch b[0] {
	case 0:
		return netip.AddrPort{}, nil
	case 4:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[3:7])), port), nil
	case 6:
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(b[3:19])), port), nil
	}
	return netip.AddrPort{}, linux.EINVAL
}

// The views' limits: a view is at most ipc.MaxBulk bytes of JSON.
const ViewMaxBytes = ipc.MaxBulk

// Interface is one network interface, as ifconfig shows it.
type Interface struct {
	Name  string         `json:"name"`
	MAC   string         `json:"mac,omitempty"`
	MTU   int            `json:"mtu"`
	Up    bool           `json:"up"`
	Addrs []netip.Prefix `json:"addrs"`
	// Counters of frames (packets on the loopback) and bytes.
	RxPackets uint64 `json:"rx_packets"`
	TxPackets uint64 `json:"tx_packets"`
	RxBytes   uint64 `json:"rx_bytes"`
	TxBytes   uint64 `json:"tx_bytes"`
	RxErrors  uint64 `json:"rx_errors"`
	TxErrors  uint64 `json:"tx_errors"`
	Drops     uint64 `json:"drops"`
}

// SocketInfo is one socket, as netstat shows it.
type SocketInfo struct {
	Proto  string         `json:"proto"` // "tcp", "udp", "icmp" (6 appended for IPv6)
	State  string         `json:"state"` // "LISTEN", "ESTABLISHED", … ("" for datagrams)
	Local  netip.AddrPort `json:"local"`
	Remote netip.AddrPort `json:"remote"`
	RecvQ  int            `json:"recv_q"` // bytes received, not read yet
	SendQ  int            `json:"send_q"` // bytes sent, not acknowledged yet
	// Handles is how many handles the programs hold on it (0: the
	// stack's own, such as a connection not accepted yet).
	Handles int `json:"handles"`
}

// Route is one entry of the routing table.
type Route struct {
	Dest    netip.Prefix `json:"dest"`
	Gateway netip.Addr   `json:"gateway,omitzero"`
	Iface   string       `json:"iface"`
}
