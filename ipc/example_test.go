package ipc_test

import (
	"errors"
	"fmt"

	"github.com/mkos/mkos/ipc"
)

// Endpoints name tasks by slot and generation, and services by id; a
// reply carries its errno, which works with errors.Is.
func Example() {
	fmt.Println(ipc.TaskEndpoint(4, 2), ipc.ServiceEndpoint(7), ipc.Any)

	var req ipc.Message
	req.Type = 1
	req.SetWord(0, 42)
	rep := ipc.ErrorReply(&req, ipc.ErrNoService)
	fmt.Println(req.Word(0), errors.Is(rep.Err(), ipc.ErrNoService), ipc.Explain(ipc.ErrDead))
	// Output:
	// 4.2 svc:7 any
	// 42 true dead endpoint (the task exited or the id is stale)
}
