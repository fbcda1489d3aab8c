package boot

import (
	"sort"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/echo"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/mm"
	"github.com/mkos/mkos/servers/null"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/servers/worker"
	"github.com/mkos/mkos/user/programs"
)

// Servers maps a server's name (its service name too) to its constructor,
// which is given the boot configuration. Adding a server is one line here
// and a package under servers/ or drivers/; the kernel does not change.
var Servers = map[string]func(*Config) ipc.Server{
	"echo":      plain(echo.New),
	"echo2":     plain(echo.NewFixed),
	"null":      plain(null.New),
	"ds":        newDataStore,
	"mm":        newMemoryManager,
	"disk":      newDiskDriver,
	"swap":      newSwapDriver,
	"fs":        plain(fs.NewDurable),
	"pm":        newProcessManager,
	"tty":       newTTYDriver,
	"memdev":    newMemdev,
	"pipe":      newPipe,
	"net":       newNet,
	"worker":    plain(worker.New),
	"autoscale": newAutoscaler,
	"gateway":   newGateway,
	"nic":       newNICDriver,

	"echo-faulty": plain(echo.NewFaulty), // refuses its state: a live update's rollback (docs/liveupdate.md)
}

// Variants maps an implementation that speaks another server's protocol
// to that server: `impl: echo2` in a server entry runs it under the echo
// service, and `svc replace echo echo2` swaps it in on a running system.
var Variants = map[string]string{
	"echo2": "echo",

	"echo-faulty": "echo",
}

// DefaultDepends lists, for the servers that have some, the servers that
// must be up before they start when the configuration does not say
// (depends_on); ones that are not configured are left out. The data store
// comes first: every server depends on ds when ds is configured.
var DefaultDepends = map[string][]string{
	"fs":  {"disk"},
	"mm":  {"disk", "swap"},
	"pm":  {"fs", "mm"},
	"net": {"nic"},
}

// newDataStore is ds on the system's kept store, so a restarted ds finds
// every key again.
func newDataStore(c *Config) ipc.Server {
	st, err := c.state().dsStore(c)
	if err != nil {
		panic(err) // Boot opened it already; it cannot fail now
	}
	return ds.New(st, ds.Options{})
}

// newProcessManager is pm with the system's kept process table, so a
// restarted pm knows every process. The table is in mkos's memory; a pm
// process reaches it through its window (process_table.go).
func newProcessManager(c *Config) ipc.Server {
	return pm.New(pm.Options{Programs: programs.Bin(), Store: c.state().pmStore(), Exec: fileExec{}, Loader: fileLoader{pulse: c.state().pulse}})
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
	if c.Disk != nil && c.Disk.Raid != nil {
		o.Members, o.Raid = c.Disk.Raid.members(), c.Disk.Raid.raidLayout()
	}
	d, err := disk.New(o)
	if err != nil {
		panic(err) // Check refuses such a configuration
	}
	return d
}

// newMemoryManager is mm with the memory: section's policy and cap.
func newMemoryManager(c *Config) ipc.Server {
	return mm.NewWith(mm.Options{Policy: c.Memory.Policy, ResidentLimit: c.Memory.Resident})
}

// newSwapDriver is a second disk driver, for the swap device.
func newSwapDriver(c *Config) ipc.Server {
	o := disk.Options{Device: swapDevice}
	if c.Swap != nil {
		o.Sched = c.Swap.IOSched
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
	"null":      "kernel",
	"echo":      "user",
	"echo2":     "user",
	"ds":        "user",
	"disk":      "user",
	"swap":      "user",
	"mm":        "kernel",
	"fs":        "kernel",
	"pm":        "kernel",
	"tty":       "user",
	"memdev":    "user",
	"worker":    "user",
	"autoscale": "user",
	"gateway":   "user",
	"nic":       "user",
	"pipe":      "kernel", // no hardware, no state a restart could keep; every pipeline byte crosses it twice
	"net":       "user",   // a big stack that can crash and restart, as MINIX 3's inet/lwip

	"echo-faulty": "user",
}
