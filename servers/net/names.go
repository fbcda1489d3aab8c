package net

import (
	"maps"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// init names the requests of the net service for traces: its own
// ("net.accept") and the stream requests it answers on sockets
// ("net.read"), which ipc/netproto may not import.
func init() {
	names := maps.Clone(netproto.Names)
	maps.Copy(names, streamproto.Names)
	ipc.RegisterNames(netproto.Name, names)
}
