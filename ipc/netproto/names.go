package netproto

import "github.com/mkos/mkos/ipc"

// Names are the request names of the protocol, for traces: "net.socket".
// The net server registers them together with the stream requests it
// also answers ("net.read"), which this package may not import.
var Names = map[ipc.Type]string{
	Socket: "socket", Bind: "bind", Listen: "listen", Accept: "accept", Connect: "connect",
	SendTo: "sendto", RecvFrom: "recvfrom", Shutdown: "shutdown", SockName: "sockname",
	PeerName: "peername", SetFlags: "setflags", Interfaces: "interfaces", Sockets: "sockets",
	Routes: "routes",
}

func init() { ipc.RegisterNames(Name, Names) }
