//go:build !js

package cluster

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/gateway"
)

// Cluster is several nodes on one virtual timeline (a kernel.Group).
type Cluster struct {
	Nodes []*Node
	group *kernel.Group
	srv   *server.Server
	w     *wire
	src   *source
	// exporters are the nodes exporting each service, in node order
	// (one process only: see bridge.subject).
	exporters map[string][]string
	names     map[string]bool
}

// New boots the cluster cfg describes: Options.Nodes nodes, each booted
// from cfg.NodeConfig, over an embedded in-process NATS server (or the
// one at Options.NATS). Run runs it.
func New(cfg boot.Config, o Options) (*Cluster, error) {
	n := o.Nodes
	if n == 0 {
		n = max(len(cfg.Nodes), 1)
	}
	if n < 1 || n > 64 {
		return nil, fmt.Errorf("nodes: %d is out of range 1..64", n)
	}
	c := &Cluster{exporters: map[string][]string{}, names: map[string]bool{}}
	if o.NATS == "" {
		srv, err := startServer("127.0.0.1", -1)
		if err != nil {
			return nil, err
		}
		c.srv = srv
	}
	if err := c.boot(cfg, cfg.NodeNames(n)[:n], o, false); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Join boots the one node named name of the cluster cfg describes, in
// this process, over the NATS server at url: the other nodes run in other
// processes (`mkos node`). Its deliveries happen when frames arrive, so
// its run is not reproducible; it ends at its max_time or when Close is
// called.
func Join(cfg boot.Config, name, url string, o Options) (*Cluster, error) {
	names := cfg.NodeNames(len(cfg.Nodes))
	i := -1
	for j, nm := range names {
		if nm == name {
			i = j
		}
	}
	if i < 0 {
		return nil, fmt.Errorf("node %q is not in the configuration's nodes: %v", name, names)
	}
	c := &Cluster{}
	o.NATS = url
	if err := c.bootOne(cfg, i, name, o, true); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// boot boots the named nodes.
func (c *Cluster) boot(cfg boot.Config, names []string, o Options, live bool) error {
	for _, n := range names {
		c.names[n] = true
	}
	for i, name := range names {
		if err := c.bootOne(cfg, i, name, o, live); err != nil {
			return err
		}
	}
	return nil
}

// bootOne boots node i, named name, and adds it to the group.
func (c *Cluster) bootOne(cfg boot.Config, i int, name string, o Options, live bool) error {
	hop := int64(boot.DefaultHopLatency)
	cluster := "mkos"
	if cfg.Cluster != nil {
		if cfg.Cluster.HopLatency > 0 {
			hop = int64(cfg.Cluster.HopLatency)
		}
		if cfg.Cluster.Name != "" {
			cluster = cfg.Cluster.Name
		}
	}
	if c.group == nil {
		g, err := kernel.NewGroup(hop)
		if err != nil {
			return err
		}
		c.group, c.w = g, newWire(hop)
		c.w.group = g
		c.src = &source{w: c.w, live: live, exporters: c.exporters, exitIdle: o.ExitWhenIdle}
		g.AddSource(c.src)
	}
	b := &bridge{node: name, cluster: cluster, w: c.w, sent: map[uint64]int64{}, exported: map[string][]*nats.Subscription{}}
	if live {
		b.sentHost, b.timeoutNs = map[uint64]time.Time{}, gateway.DefaultTimeoutNs
		if cfg.Cluster != nil && cfg.Cluster.Timeout > 0 {
			b.timeoutNs = int64(cfg.Cluster.Timeout)
		}
	}
	nc, err := connect(c.srv, o.NATS, "mkos-"+cluster+"-"+name)
	if err != nil {
		return err
	}
	b.nc = nc
	nodeCfg, err := cfg.NodeConfig(i, name, b)
	if err != nil {
		nc.Close()
		return err
	}
	nodeCfg.Watchdog = 0 // the group drives the kernels
	var tr kernel.Tracer
	if o.Tracer != nil {
		tr = o.Tracer(name)
	}
	sys, err := boot.Boot(nodeCfg, tr)
	if err != nil {
		nc.Close()
		return fmt.Errorf("node %s: %w", name, err)
	}
	b.k = sys.Kernel
	b.index = c.group.Add(sys.Kernel)
	c.Nodes = append(c.Nodes, &Node{Name: name, System: sys, b: b})
	c.src.bridges = append(c.src.bridges, b)
	if err := b.subscribe(nodeCfg.Node.Exports); err != nil {
		return fmt.Errorf("node %s: subscribe: %w", name, err)
	}
	if !live {
		for _, svc := range nodeCfg.Node.Exports {
			c.exporters[svc] = append(c.exporters[svc], name)
		}
		b.exporters, b.rr, b.nodes = c.exporters, map[string]int{}, c.names
	}
	return nil
}

// Run runs every node to its end and returns their summaries, in node
// order.
func (c *Cluster) Run() ([]*boot.Summary, error) {
	err := c.group.Run()
	var sums []*boot.Summary
	for _, n := range c.Nodes {
		sums = append(sums, n.System.Summary())
	}
	return sums, err
}

// Node returns the node named name, nil if none.
func (c *Cluster) Node(name string) *Node {
	for _, n := range c.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Stop ends a running cluster at the group's next handoff (from any
// goroutine); a live node's Settle stops waiting.
func (c *Cluster) Stop() {
	c.group.Stop()
	c.w.close()
}

// Close releases every node's system and connection, and the embedded
// server.
func (c *Cluster) Close() error {
	var errs []error
	for _, n := range c.Nodes {
		n.b.close()
		errs = append(errs, n.System.Close())
	}
	c.Nodes = nil
	if c.srv != nil {
		c.srv.Shutdown()
		c.srv = nil
	}
	return errors.Join(errs...)
}
