package netproto

import (
	"encoding/json"
	"net/netip"

	"github.com/mkos/mkos/ipc"
)

// Handle names a socket within the net server; the same number is the
// socket's streamproto.Handle.
type Handle uint64

// Client talks to the net server.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
}

// Dial looks the net server up and returns a client of it.
func Dial(sys ipc.Sys) (Client, error) {
	dst, err := ipc.Dial(sys, Name)
	return Client{Sys: sys, Dst: dst}, err
}

// Socket makes a socket.
func (c Client) Socket(domain, typ, proto int) (Handle, error) {
	req := ipc.Message{Type: Socket}
	req.SetWord(0, uint64(domain))
	req.SetWord(1, uint64(typ))
	req.SetWord(2, uint64(proto))
	rep, err := c.call(&req, nil)
	return Handle(rep.Word(0)), err
}

// Bind binds h to a.
func (c Client) Bind(h Handle, a netip.AddrPort) error {
	_, err := c.addrCall(Bind, h, 0, a)
	return err
}

// Listen makes h listen with the given backlog.
func (c Client) Listen(h Handle, backlog int) error {
	req := c.req(Listen, h)
	req.SetWord(1, uint64(max(backlog, 0)))
	_, err := c.call(&req, nil)
	return err
}

// Accept takes a connection from listening socket h; flags are the new
// socket's (linux.SOCK_NONBLOCK).
func (c Client) Accept(h Handle, flags int) (Handle, netip.AddrPort, error) {
	req := c.req(Accept, h)
	req.SetWord(1, uint64(flags))
	rep, err := c.call(&req, nil)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	peer, err := replyAddr(&rep)
	return Handle(rep.Word(0)), peer, err
}

// Connect connects h to a.
func (c Client) Connect(h Handle, a netip.AddrPort) error {
	_, err := c.addrCall(Connect, h, 0, a)
	return err
}

// SendTo sends b (at most ipc.MaxBulk bytes of it) to a, or to the
// connected peer when a is the zero AddrPort, and returns the count sent.
func (c Client) SendTo(h Handle, b []byte, flags int, a netip.AddrPort) (int, error) {
	b = b[:min(len(b), ipc.MaxBulk)]
	req := c.req(SendTo, h)
	req.SetWord(1, uint64(len(b)))
	req.SetWord(2, uint64(flags))
	PutAddr(&req, SendAddrOff, a)
	rep, err := c.call(&req, &ipc.Extra{Send: b})
	n, ok := ipc.Count(rep.Word(0), len(b))
	if !ok {
		return 0, ipc.ErrBadReply
	}
	return n, err
}

// RecvFrom receives into b and returns the count and the sender.
func (c Client) RecvFrom(h Handle, b []byte, flags int) (int, netip.AddrPort, error) {
	b = b[:min(len(b), ipc.MaxBulk)]
	req := c.req(RecvFrom, h)
	req.SetWord(1, uint64(len(b)))
	req.SetWord(2, uint64(flags))
	rep, err := c.call(&req, &ipc.Extra{Recv: b})
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	n, ok := ipc.Count(rep.Word(0), len(b))
	if !ok {
		return 0, netip.AddrPort{}, ipc.ErrBadReply
	}
	from, err := replyAddr(&rep)
	return n, from, err
}

// Shutdown shuts h down (linux.SHUT_RD, SHUT_WR, SHUT_RDWR).
func (c Client) Shutdown(h Handle, how int) error {
	req := c.req(Shutdown, h)
	req.SetWord(1, uint64(how))
	_, err := c.call(&req, nil)
	return err
}

// SockName returns h's own address.
func (c Client) SockName(h Handle) (netip.AddrPort, error) { return c.nameCall(SockName, h) }

// PeerName returns the address of h's peer.
func (c Client) PeerName(h Handle) (netip.AddrPort, error) { return c.nameCall(PeerName, h) }

// SetFlags sets h's flags (linux.O_NONBLOCK or 0) and returns the old ones.
func (c Client) SetFlags(h Handle, flags int) (int, error) {
	req := c.req(SetFlags, h)
	req.SetWord(1, uint64(flags))
	rep, err := c.call(&req, nil)
	return int(rep.Word(0) & 0xffffffff), err
}

// Interfaces lists the interfaces.
func (c Client) Interfaces() ([]Interface, error) {
	var out []Interface
	return out, c.view(Interfaces, &out)
}

// Sockets lists every socket.
func (c Client) Sockets() ([]SocketInfo, error) {
	var out []SocketInfo
	return out, c.view(Sockets, &out)
}

// Routes lists the routing table.
func (c Client) Routes() ([]Route, error) {
	var out []Route
	return out, c.view(Routes, &out)
}

// view fetches a JSON view into out.
func (c Client) view(t ipc.Type, out any) error {
	buf := make([]byte, ViewMaxBytes)
	req := ipc.Message{Type: t}
	req.SetWord(1, uint64(len(buf)))
	rep, err := c.call(&req, &ipc.Extra{Recv: buf})
	if err != nil {
		return err
	}
	n, ok := ipc.Count(rep.Word(0), len(buf))
	if !ok || json.Unmarshal(buf[:n], out) != nil {
		return ipc.ErrBadReply
	}
	return nil
}

func (c Client) req(t ipc.Type, h Handle) ipc.Message {
	req := ipc.Message{Type: t}
	req.SetWord(0, uint64(h))
	return req
}

func (c Client) addrCall(t ipc.Type, h Handle, w1 uint64, a netip.AddrPort) (ipc.Message, error) {
	req := c.req(t, h)
	req.SetWord(1, w1)
	PutAddr(&req, AddrOff, a)
	return c.call(&req, nil)
}

func (c Client) nameCall(t ipc.Type, h Handle) (netip.AddrPort, error) {
	req := c.req(t, h)
	rep, err := c.call(&req, nil)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return replyAddr(&rep)
}

// replyAddr decodes the address a reply carries at AddrOff.
func replyAddr(rep *ipc.Message) (netip.AddrPort, error) {
	a, err := GetAddr(rep, AddrOff)
	if err != nil {
		return netip.AddrPort{}, ipc.ErrBadReply
	}
	return a, nil
}

func (c Client) call(req *ipc.Message, x *ipc.Extra) (ipc.Message, error) {
	return ipc.Do(c.Sys, c.Dst, req, x, Errnos)
}
