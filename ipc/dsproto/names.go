package dsproto

import "github.com/mkos/mkos/ipc"

// init registers the request names for traces: "ds.put".
func init() { ipc.RegisterNames(Name, Names) }
