package boot

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"time"

	nichw "github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/watchdog"
	"github.com/mkos/mkos/servers/fs/layout"
	sysinit "github.com/mkos/mkos/user/init"
)

// Several machines on one wire. LECTURE: hosts
//
// A Cluster is the machines of a configuration's hosts: section: each a
// whole System — its own kernel, seeded with HostSeed, its servers placed
// by its own mode, its own disk — with a network card (drivers/nic/hw)
// on one switch. One kernel.Group steps the kernels on one virtual
// timeline: the kernel with the earliest next step runs, one at a time,
// until the others could reach it; a frame crosses the switch as a Post
// that arrives a link latency later, and that latency is the group's
// lookahead. Nothing runs on two host threads at once, so the switch and
// the cards need no locks, and the same configuration and seed give the
// same run: the same merged trace and the same frames on the wire.

// ClusterOptions are the host ends of a cluster's run.
type ClusterOptions struct {
	// Tracer receives every machine's events, each stamped with its
	// machine (kernel.Event.Host); nil traces nothing.
	Tracer kernel.Tracer
	// Pcap, when set, receives every frame on the wire in pcap format
	// with virtual timestamps (nanoseconds), as it leaves its card.
	Pcap io.Writer
	// Each, when set, changes machine k's configuration (HostConfig)
	// before it boots: the command line adds user space, a disk.
	Each func(k int, hc Config) Config
}

// Cluster is several booted machines on one switch.
type Cluster struct {
	Config Config
	// Hosts are the machines: machine K is Hosts[K-1].
	Hosts []*System
	// NICs are the machines' cards, NICs[K-1] machine K's.
	NICs   []*nichw.NIC
	Switch *nichw.Switch
	Group  *kernel.Group
	pcap   *nichw.Pcap
	// awaiting counts the machines whose shells the run still waits for
	// (Await); only the running kernel touches it.
	awaiting int
	// watch runs the group and watches every kernel's pulse (the
	// machines' own watchdogs only give their pulses).
	watch *watchdog.GroupWatchdog
}

// BootCluster boots every machine of cfg's hosts: and wires their cards
// to one switch. Run runs them; Close releases them.
func BootCluster(cfg Config, o ClusterOptions) (*Cluster, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if len(cfg.Hosts) == 0 {
		return nil, errors.New("boot: a cluster needs a hosts: section")
	}
	netc := cfg.NetworkOrDefault()
	g, err := kernel.NewGroup(int64(netc.Latency))
	if err != nil {
		return nil, err
	}
	c := &Cluster{Config: cfg, Group: g}
	if o.Pcap != nil {
		if c.pcap, err = nichw.NewPcap(o.Pcap, true); err != nil {
			return nil, err
		}
	}
	link := nichw.Link{LatencyNs: int64(netc.Latency), Loss: netc.Loss, Dup: netc.Dup,
		Reorder: netc.Reorder, ReorderNs: int64(netc.ReorderDelay)}
	if c.Switch, err = nichw.NewSwitch(g, nichw.SwitchOptions{Seed: HostSeed(cfg.Seed, 0), Link: link, Pcap: c.pcap}); err != nil {
		return nil, err
	}
	var pulses []*kernel.Pulse
	for k := 1; k <= len(cfg.Hosts); k++ {
		if err := c.bootHost(k, netc, o); err != nil {
			c.Close()
			return nil, fmt.Errorf("%s: %w", cfg.HostNameOf(k), err)
		}
		pulses = append(pulses, c.Hosts[k-1].Pulse())
	}
	c.watch = watchdog.NewGroup(g, pulses, time.Duration(cfg.Watchdog))
	return c, nil
}

// bootHost boots machine k with a card (nic:, its driver placed) and a
// net server (net:) on that card, unless Each takes it away, puts it in
// the group and plugs its card into the switch.
func (c *Cluster) bootHost(k int, netc NetworkConf, o ClusterOptions) error {
	hc := c.Config.HostConfig(k)
	mac := nichw.HostMAC(k, 0).String()
	hc.NIC = &NICConf{MAC: mac, MTU: netc.MTU, Speed: int64(netc.Speed)}
	if hc.Net == nil {
		hc.Net = &NetConf{}
	}
	if o.Each != nil {
		hc = o.Each(k, hc)
	}
	if hc.Net != nil {
		n := *hc.Net
		n.Host, n.NIC = k-1, nicproto.Name
		n.MAC = cmp.Or(n.MAC, mac)
		n.MTU = cmp.Or(n.MTU, netc.MTU)
		hc.Net = &n
	}
	var t kernel.Tracer
	if o.Tracer != nil {
		t = hostTracer{k, o.Tracer}
	}
	s, err := Boot(hc, t)
	if err != nil {
		return err
	}
	c.Hosts = append(c.Hosts, s)
	if idx := c.Group.Add(s.Kernel); idx != k-1 {
		return fmt.Errorf("group index %d, want %d", idx, k-1)
	}
	if _, err := c.Switch.Attach(k-1, s.NIC); err != nil {
		return err
	}
	c.NICs = append(c.NICs, s.NIC)
	return nil
}

// hostTracer stamps each event with its machine.
type hostTracer struct {
	host int
	t    kernel.Tracer
}

// Event passes e on, stamped.
func (h hostTracer) Event(e *kernel.Event) {
	e.Host = h.host
	h.t.Event(e)
}

// Host returns machine k (from 1), nil when there is none.
func (c *Cluster) Host(k int) *System {
	if k < 1 || k > len(c.Hosts) {
		return nil
	}
	return c.Hosts[k-1]
}

// PrepareDisks gives every machine with a disk a new file system when
// its disk is blank (all zeros in block 0) and writes its /etc/hosts and
// /etc/hostname: call it after BootCluster and before Run. It reports
// each format on note (nil: silently) when the disk is an image file.
func (c *Cluster) PrepareDisks(note io.Writer) error {
	hosts := []byte(c.Config.EtcHosts())
	for i, s := range c.Hosts {
		if s.BlockDev() == nil {
			continue
		}
		if err := s.formatIfBlank(note); err != nil {
			return fmt.Errorf("%s: %w", c.Config.HostNameOf(i+1), err)
		}
		if err := s.PutFile("/etc/hosts", hosts, 0o644); err != nil {
			return err
		}
		if err := s.PutFile("/etc/hostname", []byte(c.Config.HostNameOf(i+1)+"\n"), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// formatIfBlank puts a new file system on the disk when its block 0 is
// zeros.
func (s *System) formatIfBlank(note io.Writer) error {
	dev := s.BlockDev()
	b := make([]byte, dev.BlockSize())
	if err := dev.ReadBlocks(0, b); err != nil {
		return err
	}
	if !bytes.Equal(b, make([]byte, len(b))) {
		return nil
	}
	sb, err := layout.Plan(dev.Blocks()*int64(dev.BlockSize()), 0, 0)
	if err != nil {
		return err
	}
	if note != nil && s.Config.Disk != nil && s.Config.Disk.Image != "" {
		fmt.Fprintf(note, "mkos: %s is blank: formatting a new file system (%d blocks)\n", s.Config.Disk.Image, sb.Blocks)
	}
	return Mkfs(dev, sb)
}

// StartInit starts init on machine k as System.StartInit does. When
// awaited is set, the run ends once every awaited machine's shell has
// ended (Await): at its init's end, or with o.Stay when the shell ends
// (the machine's background jobs are cut off there).
func (c *Cluster) StartInit(k int, o sysinit.Options, console *Console, awaited bool) (*InitRun, error) {
	s := c.Host(k)
	if s == nil {
		return nil, fmt.Errorf("no machine %d (there are %d)", k, len(c.Hosts))
	}
	if awaited && o.Stay {
		done, then := c.await(), o.ShellDone
		o.ShellDone = func(status int) {
			if then != nil {
				then(status)
			}
			done()
		}
	} else if awaited {
		c.Await(k)
	}
	return s.StartInit(o, console)
}

// Await makes the run wait for machine k's init (started otherwise) to
// end: the run ends when every awaited machine is done. Call it before
// Run.
func (c *Cluster) Await(k int) {
	if s := c.Host(k); s != nil {
		s.onInitExit = c.await()
	}
}

// await counts one more machine the run waits for and returns what that
// machine calls when it is done; the last one stops the group.
func (c *Cluster) await() func() {
	c.awaiting++
	once := false
	return func() {
		if once {
			return
		}
		once = true
		if c.awaiting--; c.awaiting == 0 {
			c.Group.Stop()
		}
	}
}

// Spawn starts a task with body on machine k, with every privilege (as
// tasks boot spawns): a workload, a test's driver of the card.
func (c *Cluster) Spawn(k int, name string, body func(ipc.Sys)) (ipc.Endpoint, error) {
	s := c.Host(k)
	if s == nil {
		return 0, fmt.Errorf("no machine %d (there are %d)", k, len(c.Hosts))
	}
	return s.Kernel.Spawn(ipc.TaskSpec{Name: name, Body: body})
}

// Run runs every machine until the run ends — every kernel idle with no
// frame in flight, each at its own time limit, or every awaited
// machine's shell ended — and returns each machine's summary and the
// wire's. The error joins the machines' kernel panics (a panic halts only
// its machine). A task that runs the configuration's watchdog: of host
// time without a system call stops the run: the error is the
// *kernel.Stall, there is no summary, and the run goes on, abandoned, on
// goroutines of its own (Wait).
func (c *Cluster) Run() (*ClusterSummary, error) {
	err := c.watch.Run()
	if c.watch.Stall() != nil {
		return nil, err
	}
	return c.summarize(), err
}

// Wait waits for a run the watchdog stopped to end, and returns at once
// otherwise.
func (c *Cluster) Wait() error { return c.watch.Wait() }

// Close releases every machine (System.Close) and reports the first
// error, with the pcap writer's. After a run the watchdog stopped it does
// nothing while the run goes on.
func (c *Cluster) Close() error {
	if c.watch != nil && c.watch.Abandoned() {
		return nil
	}
	var err error
	for _, s := range c.Hosts {
		err = errors.Join(err, s.Close())
	}
	if c.pcap != nil {
		err = errors.Join(err, c.pcap.Err())
	}
	return err
}
