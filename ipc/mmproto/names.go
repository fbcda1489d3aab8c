package mmproto

import "github.com/mkos/mkos/ipc"

// init registers the request names for traces: "mm.mmap".
func init() { ipc.RegisterNames(Name, Names) }
