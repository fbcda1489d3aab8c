package net

import (
	"encoding/json"
	"net/netip"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
)

// The views behind ifconfig, netstat and route: JSON in the caller's
// receive window.

// view serves Interfaces, Sockets and Routes.
func (s *Server) view(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	var v any
	switch req.Type {
	case netproto.Interfaces:
		v = s.interfaces()
	case netproto.Sockets:
		v = s.sockets()
	default:
		v = s.routes()
	}
	b, err := json.Marshal(v)
	if err != nil || len(b) > netproto.ViewMaxBytes || uint64(len(b)) > req.Word(1) {
		return ipc.ErrorReply(req, linux.ENOBUFS)
	}
	if n, err := ctx.CopyOut(0, b); err != nil || n < len(b) {
		return ipc.ErrorReply(req, linux.EFAULT)
	}
	return countReply(req, len(b))
}

// loopback is the loopback interface's address and MTU.
var loopback = netip.MustParsePrefix("127.0.0.1/8")

const loopbackMTU = 65536

// interfaces lists lo and, with a NIC, eth0.
func (s *Server) interfaces() []netproto.Interface {
	out := []netproto.Interface{{Name: "lo", MTU: loopbackMTU, Up: true, Addrs: []netip.Prefix{loopback}}}
	mtu := s.cfg.MTU
	if mtu == 0 {
		mtu = 1500
	}
	l := s.link
	out = append(out, netproto.Interface{
		Name: "eth0", MAC: s.cfg.MAC, MTU: mtu, Up: s.hasNIC, Addrs: s.cfg.Addrs,
		RxPackets: l.rxFrames, TxPackets: l.txFrames, RxBytes: l.rxBytes, TxBytes: l.txBytes,
		TxErrors: l.txErrors, Drops: l.drops,
	})
	return out
}

// sockets lists every socket of the stack, with the handles on it.
func (s *Server) sockets() []netproto.SocketInfo {
	out := []netproto.SocketInfo{}
	for _, i := range s.st.Netstat() {
		si := netproto.SocketInfo{Proto: i.Proto.String(), State: i.State, Local: i.Local, Remote: i.Remote, RecvQ: i.RecvQ, SendQ: i.SendQ}
		if i.Family == 6 {
			si.Proto += "6"
		}
		if so := s.socks[i.Sock]; so != nil {
			si.Handles = so.refs
		}
		out = append(out, si)
	}
	return out
}

// routes lists the routing table as the stack has it: the loopback, the
// NIC's networks, the configured routes, the default route.
func (s *Server) routes() []netproto.Route {
	out := []netproto.Route{{Dest: loopback.Masked(), Iface: "lo"}}
	for _, r := range s.cfg.Routes {
		out = append(out, netproto.Route{Dest: r.Dest, Gateway: r.Gateway, Iface: "eth0"})
	}
	for _, p := range s.cfg.Addrs {
		out = append(out, netproto.Route{Dest: p.Masked(), Iface: "eth0"})
	}
	if s.cfg.Gateway.IsValid() {
		out = append(out, netproto.Route{Dest: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Gateway: s.cfg.Gateway, Iface: "eth0"})
	}
	return out
}
