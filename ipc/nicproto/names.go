package nicproto

import "github.com/mkos/mkos/ipc"

// Names are the request names, for traces: "nic.send".
var Names = map[ipc.Type]string{Info: "info", Send: "send", Recv: "recv", Stats: "stats", Counters: "counters"}

func init() { ipc.RegisterNames(Name, Names) }
