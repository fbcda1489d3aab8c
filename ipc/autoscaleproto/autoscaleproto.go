package autoscaleproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Name is the service name the autoscaler registers.
const Name = "autoscale"

// Status: reply W0 = the periods run so far, W1 = the scaling changes
// asked of rs, W2 = the services it scales.
const Status ipc.Type = 1

// Errnos are the errno values the autoscaler answers with.
var Errnos = ipc.Errnos{linux.ENOSYS}

// Names are the request names, for traces.
var Names = map[ipc.Type]string{Status: "status"}

func init() { ipc.RegisterNames(Name, Names) }

// StatusOf asks the autoscaler at dst for its counts.
func StatusOf(sys ipc.Sys, dst ipc.Endpoint) (periods, changes uint64, targets int, err error) {
	req := ipc.Message{Type: Status}
	rep, err := ipc.Do(sys, dst, &req, nil, Errnos)
	return rep.Word(0), rep.Word(1), int(rep.Word(2)), err
}
