package ulib

import (
	"net/netip"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Sockets. LECTURE: sockets
//
// A socket is a handle of the net server (ipc/netproto), kept in the
// descriptor table as a stream (kindStream, dev "socket"): Read, Write
// and Close go through the stream protocol, which the net server also
// speaks on its handles, a child inherits a socket across Spawn (the
// parent Dups the handle for it, the child adopts it as a pipe's), and
// CloseAll at exit closes it. The calls below are the socket-only ones.
// None is retried on a restart of the net server: a connection lives in
// its memory, and a restart resets it (ECONNRESET, EPIPE).

// devSocket is the dev of a socket's open file.
const devSocket = "socket"

// Socket makes a socket: domain linux.AF_INET (or AF_INET6), typ
// linux.SOCK_STREAM or SOCK_DGRAM (| SOCK_NONBLOCK), proto 0 or
// IPPROTO_ICMP (with SOCK_DGRAM) for ping. ENOSYS when the system has no
// net server.
func (p *Proc) Socket(domain, typ, proto int) (int, error) {
	if len(p.OpenFds()) >= maxFds {
		return -1, linux.EMFILE
	}
	id, err := p.service(netproto.Name)
	if err != nil {
		return -1, linux.ENOSYS
	}
	var h netproto.Handle
	err = retryNoInstance(func() error {
		h, err = p.netClient(id).Socket(domain, typ, proto)
		return err
	})
	if err != nil {
		return -1, err
	}
	return p.installSocket(id, h, typ&linux.SOCK_NONBLOCK), nil
}

// installSocket puts a socket handle in the table.
func (p *Proc) installSocket(id ipc.ServiceID, h netproto.Handle, nonblock int) int {
	f := &openFile{kind: kindStream, svc: id, h: streamproto.Handle(h), dev: devSocket, flags: linux.O_RDWR}
	if nonblock != 0 {
		f.flags |= linux.O_NONBLOCK
	}
	return p.install(f, 0)
}

// netClient returns the stubs of the net server id.
func (p *Proc) netClient(id ipc.ServiceID) netproto.Client {
	return netproto.Client{Sys: p.Sys, Dst: ipc.ServiceEndpoint(id)}
}

// sock returns fd's socket: EBADF for no descriptor, ENOTSOCK for one
// that is not a socket.
func (p *Proc) sock(fd int) (*openFile, netproto.Client, error) {
	f, err := p.file(fd)
	if err != nil {
		return nil, netproto.Client{}, err
	}
	if f.kind != kindStream || f.dev != devSocket {
		return nil, netproto.Client{}, linux.ENOTSOCK
	}
	return f, p.netClient(f.svc), nil
}

// Bind binds socket fd to address a (port 0: any free port).
func (p *Proc) Bind(fd int, a netip.AddrPort) error {
	f, c, err := p.sock(fd)
	if err != nil {
		return err
	}
	return c.Bind(netproto.Handle(f.h), a)
}

// Listen makes stream socket fd listen for connections.
func (p *Proc) Listen(fd, backlog int) error {
	f, c, err := p.sock(fd)
	if err != nil {
		return err
	}
	return c.Listen(netproto.Handle(f.h), backlog)
}

// Accept waits for a connection on listening socket fd (EAGAIN at once
// for a non-blocking one) and returns its descriptor and the peer.
func (p *Proc) Accept(fd int) (int, netip.AddrPort, error) {
	f, c, err := p.sock(fd)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	if len(p.OpenFds()) >= maxFds {
		return -1, netip.AddrPort{}, linux.EMFILE
	}
	h, peer, err := c.Accept(netproto.Handle(f.h), 0)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	return p.installSocket(f.svc, h, 0), peer, nil
}

// Connect connects socket fd to a: a stream socket waits for the
// handshake (EINPROGRESS at once for a non-blocking one: poll for
// POLLOUT), a datagram socket just remembers its destination.
func (p *Proc) Connect(fd int, a netip.AddrPort) error {
	f, c, err := p.sock(fd)
	if err != nil {
		return err
	}
	return c.Connect(netproto.Handle(f.h), a)
}

// Send sends b on connected socket fd and returns the bytes sent: all of
// them on a blocking stream socket, fewer only with an error.
func (p *Proc) Send(fd int, b []byte) (int, error) {
	return p.SendTo(fd, b, netip.AddrPort{})
}

// SendTo sends b to a (the zero AddrPort: the connected peer). A datagram
// is sent whole or not at all (EMSGSIZE past ipc.MaxBulk).
func (p *Proc) SendTo(fd int, b []byte, a netip.AddrPort) (int, error) {
	f, c, err := p.sock(fd)
	if err != nil {
		return 0, err
	}
	done := 0
	for {
		n, err := c.SendTo(netproto.Handle(f.h), b[done:], 0, a)
		done += n
		if err != nil || done == len(b) || n == 0 {
			return done, err
		}
	}
}

// Recv receives into b from socket fd: what is there, at least one byte
// (waiting for it on a blocking socket); 0 at the end of the stream.
func (p *Proc) Recv(fd int, b []byte) (int, error) {
	n, _, err := p.RecvFrom(fd, b)
	return n, err
}

// RecvFrom receives into b and returns the count and the sender.
func (p *Proc) RecvFrom(fd int, b []byte) (int, netip.AddrPort, error) {
	f, c, err := p.sock(fd)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	return c.RecvFrom(netproto.Handle(f.h), b, 0)
}

// Shutdown shuts socket fd down for reading (linux.SHUT_RD), writing
// (SHUT_WR: the peer reads end of file) or both.
func (p *Proc) Shutdown(fd, how int) error {
	f, c, err := p.sock(fd)
	if err != nil {
		return err
	}
	return c.Shutdown(netproto.Handle(f.h), how)
}

// SockName returns socket fd's own address.
func (p *Proc) SockName(fd int) (netip.AddrPort, error) {
	f, c, err := p.sock(fd)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return c.SockName(netproto.Handle(f.h))
}

// PeerName returns the address of socket fd's peer (ENOTCONN when none).
func (p *Proc) PeerName(fd int) (netip.AddrPort, error) {
	f, c, err := p.sock(fd)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return c.PeerName(netproto.Handle(f.h))
}

// SetNonblock makes socket fd non-blocking (or blocking again): fcntl's
// O_NONBLOCK.
func (p *Proc) SetNonblock(fd int, on bool) error {
	f, c, err := p.sock(fd)
	if err != nil {
		return err
	}
	flags := 0
	if on {
		flags = linux.O_NONBLOCK
	}
	if _, err := c.SetFlags(netproto.Handle(f.h), flags); err != nil {
		return err
	}
	f.flags = f.flags&^linux.O_NONBLOCK | flags
	return nil
}

// Interfaces lists the network interfaces, for ifconfig.
func (p *Proc) Interfaces() ([]netproto.Interface, error) {
	c, err := p.netService()
	if err != nil {
		return nil, err
	}
	return c.Interfaces()
}

// NetSockets lists every socket of the system, for netstat.
func (p *Proc) NetSockets() ([]netproto.SocketInfo, error) {
	c, err := p.netService()
	if err != nil {
		return nil, err
	}
	return c.Sockets()
}

// Routes lists the routing table, for route and ip.
func (p *Proc) Routes() ([]netproto.Route, error) {
	c, err := p.netService()
	if err != nil {
		return nil, err
	}
	return c.Routes()
}

// netService returns the net server's stubs; ENOSYS when there is none.
func (p *Proc) netService() (netproto.Client, error) {
	id, err := p.service(netproto.Name)
	if err != nil {
		return netproto.Client{}, linux.ENOSYS
	}
	return p.netClient(id), nil
}
