package boot

import (
	"os"
	"sort"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/echo"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/mm"
	"github.com/mkos/mkos/servers/null"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/programs"
)

// Servers maps a server's name (its service name too) to its constructor,
// which is given the boot configuration. Adding a server is one line here
// and a package under servers/ or drivers/; the kernel does not change.
var Servers = map[string]func(*Config) ipc.Server{
	"echo": plain(echo.New),
	"null": plain(null.New),
	"ds":   plain(ds.NewMemory),
	"mm":   plain(mm.New),
	"disk": newDiskDriver,
	"fs":   plain(fs.New),
	"pm":   func(*Config) ipc.Server { return pm.New(pm.Options{Programs: programs.Registry(os.Stdout)}) }, // output: the host's until the tty
}

// plain adapts the constructor of a server that needs no configuration.
func plain(mk func() ipc.Server) func(*Config) ipc.Server {
	return func(*Config) ipc.Server { return mk() }
}

// newDiskDriver is the disk driver with the disk: section's scheduler.
func newDiskDriver(c *Config) ipc.Server {
	var o disk.Options
	if c.Disk != nil {
		o.Sched = c.Disk.IOSched
	}
	d, err := disk.New(o)
	if err != nil {
		panic(err) // Check refuses such a configuration
	}
	return d
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
	"ds":   "user",
	"disk": "user",
	"mm":   "kernel",
	"fs":   "kernel",
	"pm":   "kernel",
}
