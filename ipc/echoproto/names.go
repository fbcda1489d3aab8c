package echoproto

import "github.com/mkos/mkos/ipc"

// Names are the request names, for traces: "echo.echo".
var Names = map[ipc.Type]string{Echo: "echo", Crash: "crash", Count: "count"}

func init() { ipc.RegisterNames(Name, Names) }
