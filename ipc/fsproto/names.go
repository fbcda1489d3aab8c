package fsproto

import "github.com/mkos/mkos/ipc"

// init registers the request names for traces: "fs.open".
func init() { ipc.RegisterNames(Name, Names) }
