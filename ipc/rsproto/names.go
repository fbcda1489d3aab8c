package rsproto

import "github.com/mkos/mkos/ipc"

// init registers the request names for traces: "rs.restart".
func init() { ipc.RegisterNames(Name, Names) }
