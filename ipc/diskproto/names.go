package diskproto

import "github.com/mkos/mkos/ipc"

// Names are the request names, for traces: "disk.read".
var Names = map[ipc.Type]string{Read: "read", Write: "write", Flush: "flush", Info: "info", Stats: "stats"}

func init() { ipc.RegisterNames(Name, Names) }
