package netproto

import (
	"maps"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Names are the request names of the protocol, for traces: "net.socket",
// and the stream requests the server also answers: "net.read".
var Names = map[ipc.Type]string{
	Socket: "socket", Bind: "bind", Listen: "listen", Accept: "accept", Connect: "connect",
	SendTo: "sendto", RecvFrom: "recvfrom", Shutdown: "shutdown", SockName: "sockname",
	PeerName: "peername", SetFlags: "setflags", Interfaces: "interfaces", Sockets: "sockets",
	Routes: "routes",
}

func init() {
	all := maps.Clone(Names)
	maps.Copy(all, streamproto.Names)
	ipc.RegisterNames(Name, all)
}
