package gatewayproto

import "github.com/mkos/mkos/ipc"

// Names are the request names of the gateway service itself, for traces:
// "gateway.move".
var Names = map[ipc.Type]string{Move: "move"}

func init() { ipc.RegisterNames(Name, Names) }
