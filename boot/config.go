package boot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/watchdog"
	"github.com/mkos/mkos/sched"
	"github.com/mkos/mkos/servers/mm"
)

// Mode is a placement of all servers.
type Mode string

// The modes.
const (
	Micro  Mode = "micro"  // every server in its own task
	Mono   Mode = "mono"   // every server in the kernel
	Hybrid Mode = "hybrid" // per server, from the configuration
)

// Modes lists the modes in a stable order.
var Modes = []Mode{Micro, Mono, Hybrid}

// Config is a boot configuration, as read from a YAML file. Keys are the
// yaml tags; unknown keys are errors.
type Config struct {
	Mode         Mode     `yaml:"mode"`
	CPUs         int      `yaml:"cpus"`
	Policy       string   `yaml:"policy"`
	QuantumTicks int      `yaml:"quantum_ticks"`
	HZ           int      `yaml:"hz"`
	Profile      string   `yaml:"profile"`
	Seed         uint64   `yaml:"seed"`
	MaxTime      Duration `yaml:"max_time"`
	ServiceWait  Duration `yaml:"service_wait"`
	// BusWindow is the sliding window of virtual time of the bus's
	// metrics (kernel.Config.BusWindowNs; default 1 s): svc stats, the
	// live views, the benchmark report and the autoscaler read them.
	BusWindow Duration     `yaml:"bus_window"`
	Servers   []ServerConf `yaml:"servers"`
	Links     []LinkConf   `yaml:"links"`
	Workload  WorkloadConf `yaml:"workload"`
	// Disk, when set, gives the system a disk and its driver, the "disk"
	// server (placed like any other; it need not be listed in Servers).
	Disk *DiskConf `yaml:"disk"`
	// Console, when set, gives the system a console and its driver, the
	// "tty" server (tty.go; it need not be listed in Servers).
	Console *ConsoleConf `yaml:"console"`
	// Net, when set, gives the system a network: the net server ("net",
	// net.go; it need not be listed in Servers) with the loopback, and
	// the NIC's driver when there is a nic: section.
	Net *NetConf `yaml:"net"`
	// NIC, when set, gives the system a network card and its driver, the
	// "nic" server (nic.go; it need not be listed in Servers).
	NIC *NICConf `yaml:"nic"`
	// RS configures the reincarnation server (rs.go).
	RS RSConf `yaml:"rs"`
	// Memory sizes physical memory, the TLBs and the memory manager.
	Memory MemoryConf `yaml:"memory"`
	// Swap, when set, gives the memory manager a swap device of its own:
	// a second simulated disk and driver, the "swap" server (same keys as
	// disk:). Without it mm swaps to memory.
	Swap *DiskConf `yaml:"swap"`
	// DataDir, when set, keeps the data store in a bbolt file there, so
	// it survives mkos itself; otherwise ds keeps its data in memory (it
	// still survives ds's own restarts).
	DataDir string `yaml:"data_dir"`
	// DS chooses the data store's backend (memory, bolt, redis) and
	// where a Redis store lives (datastore.go).
	DS DSConf `yaml:"ds"`
	// PriorityInheritance makes servers run at their most important
	// waiting client's priority (default true; false shows inversion).
	PriorityInheritance *bool `yaml:"priority_inheritance"`
	// GlobalQueue gives all CPUs one run queue instead of one each with a
	// load balancer.
	GlobalQueue bool `yaml:"global_queue"`
	// User is who init starts the shell as: a user of /etc/passwd, by
	// name or number (default root; users.go).
	User string `yaml:"user"`
	// Watchdog is how long, in host time, a task may run its Go code
	// without a system call before the run is stopped as stalled (a body
	// in an infinite loop cannot be preempted); 0 turns the watchdog off
	// (kernel/watchdog; default watchdog.Default).
	Watchdog Duration `yaml:"watchdog"`
	// Isolation of the user-space servers: task (default: a task on a
	// coroutine in mkos) or process (each in a sandboxed host process of
	// its own, where it can; process.go).
	Isolation string `yaml:"isolation"`
	// ProcessWatchdog is the host time (not virtual) a server process has
	// to answer one request before it is killed as hung (default 10s).
	ProcessWatchdog Duration `yaml:"process_watchdog"`
	// Hosts, when set, makes the configuration several machines on one
	// switch, each the rest of the file changed by its entry (a number of
	// machines is that many alike; hosts_config.go, Cluster in hosts.go).
	Hosts HostList `yaml:"hosts"`
	// Network is the wire between the machines of hosts: (50µs, 1Gbit,
	// no loss, MTU 1500 when absent).
	Network *NetworkConf `yaml:"network"`
	// Cluster and Nodes describe a cluster of nodes (node.go): mkos run
	// --nodes, mkos node.
	Cluster *ClusterConf `yaml:"cluster"`
	Nodes   []NodeConf   `yaml:"nodes"`
	// Node is set on a node's own configuration (NodeConfig).
	Node *Node `yaml:"-"`

	keep *kept // state that outlives server instances (state.go)
}

// ServerConf places one server.
type ServerConf struct {
	// Name is the server's name in the server table (Servers).
	Name string `yaml:"name"`
	// Placement is "kernel", "user" or "process" (user space, in a host
	// process of its own); it applies in hybrid mode only (micro puts
	// everything in user space, mono in the kernel). Empty takes the
	// server's DefaultHybrid placement.
	Placement string `yaml:"placement"`
	// Instances is the number of user-space instances (default 1).
	Instances int `yaml:"instances"`
	// Impl names the implementation to run, another entry of Servers
	// that speaks this server's protocol (Variants); empty is Name.
	Impl string `yaml:"impl"`
	// DependsOn names the configured servers that must be up before this
	// one starts; absent takes DefaultDepends, [] means none.
	DependsOn []string `yaml:"depends_on"`
	// Privileges overrides the server's line of the privilege table
	// (DefaultPrivileges, privileges.go).
	Privileges *PrivConf `yaml:"privileges"`
	// Scale marks a stateless server scalable: the autoscale server, when
	// configured, keeps its instances between min and max (autoscale.go).
	Scale *ScaleConf `yaml:"scale"`
	// Standby, on a node of a cluster, configures the server without
	// starting it: rs knows it, stopped, so that svc move can move it
	// here (node.go).
	Standby bool `yaml:"standby"`
}

// LinkConf is a hybrid direct link: calls from server From to server To
// bypass the bus.
type LinkConf struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// WorkloadConf configures the workload `mkos run` runs.
type WorkloadConf struct {
	// Kind is the workload: WorkloadDemo ("" too) or WorkloadPathfinder.
	Kind      string   `yaml:"kind"`
	Clients   int      `yaml:"clients"`
	Calls     int      `yaml:"calls"`
	Compute   Duration `yaml:"compute"`
	CrashAt   int      `yaml:"crash_at"`
	BulkEvery int      `yaml:"bulk_every"`
}

// DiskConf configures the simulated disk and its driver. Zero fields take
// the defaults; `disk: {}` is a 64 MiB HDD in memory.
type DiskConf struct {
	// Image is the host file that holds the disk, created if missing;
	// empty keeps the disk in memory, lost at exit.
	Image string `yaml:"image"`
	// Size is the disk's size, like 64MiB; 0 takes an existing image's
	// size, else 64MiB.
	Size Size `yaml:"size"`
	// BlockSize is the block size in bytes, a power of two from 512 to
	// 65536 (4096).
	BlockSize int `yaml:"block_size"`
	// Kind is the latency model: hdd (default) or ssd.
	Kind string `yaml:"kind"`
	// IOSched is the driver's I/O scheduler: fifo, sstf or clook
	// (default).
	IOSched string `yaml:"iosched"`
	// Raid, when set, makes the disk a software RAID of several disks
	// like this one (raid.go).
	Raid *RaidConf `yaml:"raid"`
}

// MemoryConf is the memory: section. Zero fields take the defaults.
type MemoryConf struct {
	// Frames is the number of 4 KiB physical frames (1024).
	Frames int `yaml:"frames"`
	// TLBEntries is each CPU's TLB size (16; -1: no TLB).
	TLBEntries int `yaml:"tlb_entries"`
	// TLBTagged keeps TLB entries across context switches.
	TLBTagged bool `yaml:"tlb_tagged"`
	// Policy is mm's replacement policy (clock).
	Policy string `yaml:"policy"`
	// Resident caps the frames mm gives to pages (0: all of memory).
	Resident int `yaml:"resident"`
}

// check checks the memory: section.
func (m *MemoryConf) check() error {
	switch {
	case m.Frames < 0 || m.Frames > 1<<20:
		return fmt.Errorf("memory.frames: %d is out of range 1..1048576", m.Frames)
	case m.TLBEntries < -1 || m.TLBEntries > 4096:
		return fmt.Errorf("memory.tlb_entries: %d is out of range -1..4096", m.TLBEntries)
	case m.Policy != "" && !slices.Contains(mm.PolicyNames(), m.Policy):
		return fmt.Errorf("memory.policy: %q is not one of %s", m.Policy, strings.Join(mm.PolicyNames(), ", "))
	case m.Resident < 0:
		return fmt.Errorf("memory.resident: %d must not be negative", m.Resident)
	}
	return nil
}

// Size is a size in bytes written like 4096, 512KiB, 64MiB or 1GiB.
type Size int64

// UnmarshalYAML parses a size.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*s = Size(v)
	return nil
}

// ParseSize reads a size in bytes with an optional binary unit: KiB, MiB,
// GiB, TiB (or K, M, G, T).
func ParseSize(text string) (int64, error) {
	num := strings.TrimRight(text, "KMGTiB")
	shift := map[string]uint{"": 0, "B": 0, "K": 10, "KiB": 10, "M": 20, "MiB": 20, "G": 30, "GiB": 30, "T": 40, "TiB": 40}
	sh, ok := shift[text[len(num):]]
	v, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if !ok || err != nil || v < 0 {
		return 0, fmt.Errorf("%q is not a size like 4096, 512KiB or 64MiB", text)
	}
	if v > 1<<40>>sh {
		return 0, fmt.Errorf("%q is more than 1TiB, the largest size mkos takes", text)
	}
	return v << sh, nil
}

// Duration is a duration written like "10ms" or "1.5s": virtual time,
// except for Watchdog's, which is host time.
type Duration int64

// UnmarshalYAML parses a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration like 10ms or 2s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// Default returns the configuration used when no file is given: the echo
// and null servers and a small demo workload, in micro mode.
func Default() Config {
	return Config{
		Mode: Micro, CPUs: 1, Policy: "rr", QuantumTicks: 1, HZ: 100, Profile: "l4", Seed: 1,
		MaxTime: Duration(10 * time.Second), ServiceWait: Duration(time.Second),
		Watchdog: Duration(watchdog.Default),
		Servers: []ServerConf{
			{Name: "echo", Placement: "user", Instances: 1},
			{Name: "null", Placement: "kernel", Instances: 1},
		},
		Workload: WorkloadConf{Clients: 3, Calls: 20, Compute: Duration(200 * time.Microsecond), BulkEvery: 5},
		RS:       DefaultRS(),
	}
}

// Load reads a configuration file over the defaults. Unknown keys and bad
// values are errors that name the key.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	cfg, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse reads a configuration from YAML text over the defaults.
func Parse(data []byte) (Config, error) {
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, fmt.Errorf("config: %s", nameKeys(data, strings.TrimPrefix(err.Error(), "yaml: ")))
	}
	return cfg, cfg.Check()
}

// Check validates every field and returns an error naming the first bad
// key.
func (c *Config) Check() error {
	switch c.Mode {
	case Micro, Mono, Hybrid:
	default:
		return fmt.Errorf("mode: %q is not one of micro, mono, hybrid", c.Mode)
	}
	if c.CPUs < 1 || c.CPUs > 256 {
		return fmt.Errorf("cpus: %d is out of range 1..256", c.CPUs)
	}
	if _, ok := sched.Policies[c.Policy]; !ok {
		return fmt.Errorf("policy: %q is not one of %v", c.Policy, sched.Names())
	}
	if c.QuantumTicks < 1 {
		return fmt.Errorf("quantum_ticks: %d must be at least 1", c.QuantumTicks)
	}
	if c.HZ < 1 || c.HZ > 1_000_000 {
		return fmt.Errorf("hz: %d is out of range 1..1000000", c.HZ)
	}
	if _, ok := kernel.Profiles[c.Profile]; !ok {
		return fmt.Errorf("profile: %q is not one of %v", c.Profile, kernel.ProfileNames())
	}
	if c.ServiceWait <= 0 {
		return fmt.Errorf("service_wait: must be positive")
	}
	if c.BusWindow < 0 {
		return fmt.Errorf("bus_window: must be 0 (1s) or positive")
	}
	if c.Watchdog < 0 {
		return fmt.Errorf("watchdog: must be 0 (off) or positive")
	}
	if err := c.checkServers(); err != nil {
		return err
	}
	if err := c.checkCluster(); err != nil {
		return err
	}
	if err := c.checkNetPlacement(); err != nil {
		return err
	}
	if err := c.checkProcess(); err != nil {
		return err
	}
	if err := c.checkRS(); err != nil {
		return err
	}
	if err := c.checkPrivileges(); err != nil {
		return err
	}
	if err := c.Memory.check(); err != nil {
		return err
	}
	if err := c.checkDisk(); err != nil {
		return err
	}
	if err := c.checkConsole(); err != nil {
		return err
	}
	if err := c.checkNIC(); err != nil {
		return err
	}
	if err := c.checkDS(); err != nil {
		return err
	}
	if err := c.checkNet(); err != nil {
		return err
	}
	if err := c.checkHosts(); err != nil {
		return err
	}
	_, err := c.startOrder()
	return err
}

func (c *Config) checkServers() error {
	seen := map[string]bool{}
	for i, s := range c.Servers {
		key := fmt.Sprintf("servers[%d]", i)
		if s.Name == "" {
			return fmt.Errorf("%s.name: missing (a bare null is YAML's empty value: write name: \"null\")", key)
		}
		if _, ok := Servers[s.Name]; !ok {
			return fmt.Errorf("%s.name: %q is not a known server (have %v)", key, s.Name, ServerNames())
		}
		if seen[s.Name] {
			return fmt.Errorf("%s.name: %q is listed twice", key, s.Name)
		}
		seen[s.Name] = true
		if s.Placement != "kernel" && s.Placement != "user" && s.Placement != IsolationProcess && s.Placement != "" {
			return fmt.Errorf("%s.placement: %q is not kernel, user or process", key, s.Placement)
		}
		if s.Instances < 0 || s.Instances > 64 {
			return fmt.Errorf("%s.instances: %d is out of range 1..64", key, s.Instances)
		}
		if err := checkImpl(key, s); err != nil {
			return err
		}
		if err := s.Scale.check(key+".scale", s); err != nil {
			return err
		}
	}
	if c.Disk != nil {
		seen[diskproto.Name] = true // placed even when not listed
	}
	if c.NIC != nil {
		seen[nicproto.Name] = true
	}
	for i, l := range c.Links {
		if !seen[l.From] || !seen[l.To] || l.From == l.To {
			return fmt.Errorf("links[%d]: %s -> %s must join two different configured servers", i, l.From, l.To)
		}
	}
	w := c.Workload
	if w.Clients < 0 || w.Calls < 0 || w.CrashAt < 0 || w.BulkEvery < 0 {
		return fmt.Errorf("workload: clients, calls, crash_at and bulk_every must not be negative")
	}
	return c.checkWorkloadKind()
}

// checkDisk checks the disk: section, and that the disk driver is placed
// only with a disk to drive.
func (c *Config) checkDisk() error {
	sections := map[string]*DiskConf{diskproto.Name: c.Disk, swapName: c.Swap}
	for i, s := range c.Servers {
		d, drives := sections[s.Name]
		switch {
		case !drives:
		case d == nil:
			return fmt.Errorf("servers[%d].name: %q needs a %s: section, the device it drives", i, s.Name, s.Name)
		case s.Instances > 1:
			return fmt.Errorf("servers[%d].instances: %d disk drivers would share one device; the disk takes 1", i, s.Instances)
		}
	}
	if err := checkDiskConf("disk", c.Disk); err != nil {
		return err
	}
	return checkDiskConf("swap", c.Swap)
}

// checkDiskConf checks one disk section, named key.
func checkDiskConf(key string, d *DiskConf) error {
	if d == nil {
		return nil
	}
	bs := d.BlockSize
	if bs == 0 {
		bs = hw.DefaultBlockSize
	}
	switch {
	case d.Kind != "" && !slices.Contains(hw.Kinds, d.Kind):
		return fmt.Errorf("%s.kind: %q is not one of %s", key, d.Kind, strings.Join(hw.Kinds, ", "))
	case d.IOSched != "" && disk.Schedulers[d.IOSched] == nil:
		return fmt.Errorf("%s.iosched: %q is not one of %s", key, d.IOSched, strings.Join(disk.SchedulerNames(), ", "))
	case bs < hw.MinBlockSize || bs > hw.MaxBlockSize || bs&(bs-1) != 0:
		return fmt.Errorf("%s.block_size: %d is not a power of two from %d to %d", key, bs, hw.MinBlockSize, hw.MaxBlockSize)
	case d.Size < 0 || d.Size > hw.MaxSizeBytes || int64(d.Size)%int64(bs) != 0:
		return fmt.Errorf("%s.size: %d is not a whole number of %d-byte blocks up to 1TiB", key, d.Size, bs)
	case d.Raid != nil:
		return d.Raid.check(key)
	}
	return nil
}

// servers returns the servers to place: the configured ones, and the disk
// driver when there is a disk and the list does not place it.
func (c *Config) servers() []ServerConf {
	out := slices.Clip(c.Servers)
	listed := func(name string) bool {
		return slices.ContainsFunc(out, func(s ServerConf) bool { return s.Name == name })
	}
	if c.Disk != nil && !listed(diskproto.Name) {
		out = append(out, ServerConf{Name: diskproto.Name})
	}
	if c.Swap != nil && !listed(swapName) {
		out = append(out, ServerConf{Name: swapName})
	}
	return c.withNet(c.withNIC(c.withConsole(out)))
}

// swapName is the service of the swap device's driver, where mm looks for
// swap.
const swapName = "swap"

// InKernel reports whether server s runs in the kernel under c's mode.
func (c *Config) InKernel(s ServerConf) bool {
	if s.Name == gatewayproto.Name {
		return false // it registers remote instances: a task's call
	}
	switch c.Mode {
	case Mono:
		return true
	case Micro:
		return false
	}
	if s.Placement == "" {
		return DefaultHybrid[s.Name] == "kernel"
	}
	return s.Placement == "kernel"
}
