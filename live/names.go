package live

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/nullproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// streamNames names the stream protocol's requests (tty, pipe, memdev).
var streamNames = map[ipc.Type]string{
	streamproto.Open: "open", streamproto.Read: "read", streamproto.Write: "write",
	streamproto.Close: "close", streamproto.Dup: "dup", streamproto.Pipe: "pipe", streamproto.Ioctl: "ioctl",
}

// opNames names the request types of the services whose protocols name
// them.
var opNames = map[string]map[ipc.Type]string{
	fsproto.Name: fsproto.Names,
	pmproto.Name: pmproto.RequestNames,
	rsproto.Name: rsproto.Names,
	mmproto.Name: mmproto.Names,
	dsproto.Name: dsproto.Names,

	echoproto.Name:          {echoproto.Echo: "echo", echoproto.Crash: "crash"},
	nullproto.Name:          {nullproto.Null: "null"},
	streamproto.TTY:         streamNames,
	streamproto.PipeService: streamNames,
	streamproto.Memdev:      streamNames,
}

// OpName names request type t of service svc: "open" for fs's Open, "ping"
// for a supervisor's ping, else the type in hex.
func OpName(svc string, t ipc.Type) string {
	if t == ipc.Ping {
		return "ping"
	}
	if n, ok := opNames[svc][t]; ok {
		return n
	}
	return fmt.Sprintf("%#x", uint16(t))
}
