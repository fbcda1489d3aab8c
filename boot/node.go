package boot

import (
	"fmt"
	"slices"
	"time"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/servers/gateway"
)

// ClusterConf is the cluster: section: several nodes — each its own
// system, kernel and servers — sharing one service namespace over NATS
// (boot/cluster; docs/cluster.md).
type ClusterConf struct {
	// Name names the cluster on the wire (default "mkos").
	Name string `yaml:"name"`
	// HopLatency is the virtual time a frame takes from one node to
	// another (default 20µs); it is also the group's lookahead.
	HopLatency Duration `yaml:"hop_latency"`
	// Timeout bounds a call to a service on another node (virtual time,
	// default 1s): then it fails with ETIMEDOUT.
	Timeout Duration `yaml:"timeout"`
	// Route is the bus's rule between local and remote instances:
	// local-first (default), remote-first or local-only.
	Route string `yaml:"route"`
	// Failover lets a node start its standby of a service when no node
	// exports the service any more (a node was killed): servers/gateway's
	// failover.go.
	Failover bool `yaml:"failover"`
}

// NodeConf is one node of nodes:.
type NodeConf struct {
	Name string `yaml:"name"`
	// Servers, when set, replaces the top-level servers: list on this
	// node.
	Servers []ServerConf `yaml:"servers"`
	// Workload, when set, is this node's workload; otherwise the first
	// node runs the top-level one and the others none.
	Workload *WorkloadConf `yaml:"workload"`
}

// Node is what a node's system knows of its place in the cluster: set
// by NodeConfig, not read from YAML.
type Node struct {
	Name    string
	Cluster ClusterConf
	// Link is the node's host-side connection (boot/cluster), which its
	// gateway server uses.
	Link gatewayproto.Link
	// Exports are the services this node serves to the others; Imports
	// the ones it reaches on other nodes.
	Exports, Imports []string
}

// DefaultHopLatency is a hop's virtual time when the configuration does
// not say.
const DefaultHopLatency = Duration(20 * time.Microsecond)

// NodeNames returns the configured nodes' names; with no nodes: section,
// n nodes named n0, n1, ….
func (c *Config) NodeNames(n int) []string {
	var names []string
	for _, nc := range c.Nodes {
		names = append(names, nc.Name)
	}
	for i := len(names); i < n; i++ {
		names = append(names, fmt.Sprintf("n%d", i))
	}
	return names
}

// NodeConfig returns the configuration of node i of the cluster c
// describes, named name, over link: its own servers (and the gateway),
// its workload, its seed (c's seed + i, so nodes draw different numbers),
// and what it exports and imports.
func (c *Config) NodeConfig(i int, name string, link gatewayproto.Link) (Config, error) {
	if !gatewayproto.ValidName(name) {
		return Config{}, fmt.Errorf("nodes[%d].name: %q is not a valid node name (no dots, spaces or wildcards)", i, name)
	}
	n := *c
	n.Nodes, n.keep = nil, nil
	n.Seed = c.Seed + uint64(i)
	n.Servers = c.nodeServers(i)
	n.Disk, n.Swap = c.nodeDisks(i)
	if i > 0 {
		n.Workload = WorkloadConf{}
	}
	if i < len(c.Nodes) && c.Nodes[i].Workload != nil {
		n.Workload = *c.Nodes[i].Workload
	}
	if !slices.ContainsFunc(n.Servers, func(s ServerConf) bool { return s.Name == gatewayproto.Name }) {
		n.Servers = append(slices.Clone(n.Servers), ServerConf{Name: gatewayproto.Name, Instances: 1})
	}
	cl := ClusterConf{}
	if c.Cluster != nil {
		cl = *c.Cluster
	}
	node := &Node{Name: name, Cluster: cl, Link: link}
	node.Exports = n.exports()
	for j := range max(len(c.Nodes), 1) {
		if j == i {
			continue
		}
		o := Config{Servers: c.nodeServers(j)}
		o.Disk, _ = c.nodeDisks(j)
		for _, s := range o.exports() {
			if !slices.Contains(node.Exports, s) && !slices.Contains(node.Imports, s) {
				node.Imports = append(node.Imports, s)
			}
		}
	}
	slices.Sort(node.Imports)
	n.Node = node
	return n, n.Check()
}

// nodeServers returns node i's servers: list.
func (c *Config) nodeServers(i int) []ServerConf {
	if i < len(c.Nodes) && c.Nodes[i].Servers != nil {
		return c.Nodes[i].Servers
	}
	return c.Servers
}

// nodeDisks returns node i's disk: and swap: sections: the cluster's,
// on a node that runs a server using them (fs, the disk driver, mm), none
// elsewhere.
func (c *Config) nodeDisks(i int) (disk, swap *DiskConf) {
	uses := func(names ...string) bool {
		return slices.ContainsFunc(c.nodeServers(i), func(s ServerConf) bool { return slices.Contains(names, s.Name) })
	}
	if uses("fs", diskproto.Name) {
		disk = c.Disk
	}
	if uses("mm", "swap") {
		swap = c.Swap
	}
	return disk, swap
}

// exports are the services a node's configuration serves: its servers
// but the gateway (and the disk driver with a disk).
func (c *Config) exports() []string {
	var out []string
	for _, s := range c.Servers {
		if s.Name != gatewayproto.Name && !s.Standby {
			out = append(out, s.Name)
		}
	}
	if c.Disk != nil && !slices.Contains(out, diskproto.Name) {
		out = append(out, diskproto.Name)
	}
	slices.Sort(out)
	return out
}

// checkCluster checks the cluster: and nodes: sections.
func (c *Config) checkCluster() error {
	if cl := c.Cluster; cl != nil {
		if cl.Name != "" && !gatewayproto.ValidName(cl.Name) {
			return fmt.Errorf("cluster.name: %q is not a valid name (no dots, spaces or wildcards)", cl.Name)
		}
		if _, ok := ipc.ParseRoute(cl.Route); !ok {
			return fmt.Errorf("cluster.route: %q is not local-first, remote-first or local-only", cl.Route)
		}
	}
	seen := map[string]bool{}
	for i, n := range c.Nodes {
		if !gatewayproto.ValidName(n.Name) {
			return fmt.Errorf("nodes[%d].name: %q is not a valid node name (no dots, spaces or wildcards)", i, n.Name)
		}
		if seen[n.Name] {
			return fmt.Errorf("nodes[%d].name: %q is listed twice", i, n.Name)
		}
		seen[n.Name] = true
		sub := Config{Servers: n.Servers}
		if err := sub.checkServers(); n.Servers != nil && err != nil {
			return fmt.Errorf("nodes[%d]: %w", i, err)
		}
	}
	if c.Node == nil && slices.ContainsFunc(c.Servers, func(s ServerConf) bool { return s.Name == gatewayproto.Name }) {
		return fmt.Errorf("servers: the gateway runs only on a node of a cluster (mkos run --nodes, mkos node)")
	}
	return nil
}

// newGateway is the node's gateway over its link.
func newGateway(c *Config) ipc.Server {
	n := c.Node
	if n == nil {
		n = &Node{Name: "offline", Link: offline{}}
	}
	opt := gateway.Options{Imports: n.Imports, TimeoutNs: int64(n.Cluster.Timeout)}
	if n.Cluster.Failover {
		for _, sc := range c.Servers {
			if sc.Standby && slices.Contains(n.Imports, sc.Name) {
				opt.Failover = append(opt.Failover, sc.Name)
			}
		}
	}
	return gateway.New(n.Link, opt)
}

// declareImports declares the services the node reaches on other nodes,
// so its programs can look them up before the gateway registers them.
func (s *System) declareImports() error {
	if s.Config.Node == nil {
		return nil
	}
	for _, name := range s.Config.Node.Imports {
		if _, err := s.Kernel.Declare(name); err != nil {
			return fmt.Errorf("node %s: declare %s: %w", s.Config.Node.Name, name, err)
		}
	}
	return nil
}

// route is the bus's routing rule (Check has vetted the name).
func (c *Config) route() ipc.RoutePolicy {
	if c.Cluster == nil {
		return ipc.RouteLocalFirst
	}
	r, _ := ipc.ParseRoute(c.Cluster.Route)
	return r
}

// offline is the link of a gateway outside a cluster: nothing to reach.
type offline struct{}

func (offline) Node() string { return "offline" }

func (offline) Request(string, uint64, []byte, int64) error { return ipc.ErrNoInstance }

func (offline) Respond(string, []byte, int64) error { return ipc.ErrNoInstance }

func (offline) Next() (gatewayproto.Delivery, bool) { return gatewayproto.Delivery{}, false }

func (offline) RequestTo(string, string, uint64, []byte, int64) error { return ipc.ErrNoInstance }

func (offline) Export(string) error { return ipc.ErrNoInstance }

func (offline) Unexport(string) error { return ipc.ErrNoInstance }
