package pmproto

import "github.com/mkos/mkos/ipc"

// init registers the request names for traces: "pm.spawn".
func init() { ipc.RegisterNames(Name, RequestNames) }
