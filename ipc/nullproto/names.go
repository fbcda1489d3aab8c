package nullproto

import "github.com/mkos/mkos/ipc"

// Names are the request names, for traces: "null.null".
var Names = map[ipc.Type]string{Null: "null"}

func init() { ipc.RegisterNames(Name, Names) }
