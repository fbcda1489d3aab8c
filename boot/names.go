package boot

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// init names the requests of the services boot places under names of
// its own, for traces: the console speaks the stream protocol
// ("console.write"), mm's swap disk the disk protocol ("swap.read").
func init() {
	ipc.RegisterNames(ConsoleService, streamproto.Names)
	ipc.RegisterNames(swapName, diskproto.Names)
}
