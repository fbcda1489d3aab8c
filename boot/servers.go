package boot

import (
	"sort"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/servers/echo"
	"github.com/mkos/mkos/servers/null"
)

// Servers maps a server's name (its service name too) to its constructor.
// Adding a server is one line here and a package under servers/; the kernel
// does not change.
var Servers = map[string]func() ipc.Server{
	"echo": echo.New,
	"null": null.New,
}

// ServerNames returns the server names in sorted order.
func ServerNames() []string {
	names := make([]string, 0, len(Servers))
	for n := range Servers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefaultHybrid is the placement hybrid mode uses for a server the
// configuration does not place: servers that most calls need stay in the
// kernel, the ones that are buggy and restartable (drivers) go to user
// space.
var DefaultHybrid = map[string]string{
	"null": "kernel",
	"echo": "user",
}
