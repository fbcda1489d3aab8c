package workerproto

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Name is the service name the worker registers.
const Name = "worker"

// Work: burn W0 ns of virtual CPU (at most MaxWorkNs), then answer.
const Work ipc.Type = 1

// MaxWorkNs bounds one request's work.
const MaxWorkNs = 1_000_000_000

// Errnos are the errno values the worker answers with.
var Errnos = ipc.Errnos{linux.EINVAL, linux.ENOSYS}

// Names are the request names, for traces.
var Names = map[ipc.Type]string{Work: "work"}

func init() { ipc.RegisterNames(Name, Names) }

// Do asks the worker at dst for ns of work.
func Do(sys ipc.Sys, dst ipc.Endpoint, ns int64) error {
	if ns < 0 || ns > MaxWorkNs {
		return linux.EINVAL
	}
	req := ipc.Message{Type: Work}
	req.SetWord(0, uint64(ns))
	_, err := ipc.Do(sys, dst, &req, nil, Errnos)
	return err
}
