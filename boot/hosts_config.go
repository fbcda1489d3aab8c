package boot

import (
	"cmp"
	"fmt"
	"net/netip"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Several machines in one configuration: the hosts: and network: sections.
// Every machine starts from the rest of the file and changes what its
// entry in hosts: says; network: is the wire (the switch) between them.
//
//	mode: micro
//	network: {latency: 50us, speed: 1Gbit, loss: 0.01, mtu: 1500}
//	hosts:
//	  - {}                    # host1: the file as it is
//	  - {mode: mono, cpus: 2} # host2
//
// `hosts: 3` is three machines that are all the file as it is. Machine K
// (from 1) is named hostK, has the address 10.0.0.K/24 (HostAddr) and
// the seed HostSeed(seed, K): every machine draws its own numbers, and
// the run is still one function of the file's seed.

// MaxHosts is the largest number of machines one run boots.
const MaxHosts = 250

// HostConf is one machine's entry in hosts:. Zero fields keep the
// value the rest of the file gives.
type HostConf struct {
	// Name is the machine's host name, in every machine's /etc/hosts and
	// its own /etc/hostname (default hostK).
	Name string `yaml:"name"`
	// Mode, CPUs, Policy and Profile replace the file's.
	Mode    Mode   `yaml:"mode"`
	CPUs    int    `yaml:"cpus"`
	Policy  string `yaml:"policy"`
	Profile string `yaml:"profile"`
	// Servers replaces the file's server list on this machine.
	Servers []ServerConf `yaml:"servers"`
	// Disk replaces the file's disk: section on this machine. Without
	// it a disk image of the file's disk: gets the machine's name before
	// its extension (disk.img: disk-host2.img), so no two machines share
	// an image.
	Disk *DiskConf `yaml:"disk"`
	// Run is what this machine's shell runs when `mkos run -c` starts the
	// machines (after the commands -c gives it with `on K`).
	Run string `yaml:"run"`
}

// HostList is the hosts: section: a list of HostConf, or a number of
// machines that are all the file as it is.
type HostList []HostConf

// UnmarshalYAML reads a number or a list, refusing unknown keys in the
// entries as the rest of the file does.
func (h *HostList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		count, err := strconv.Atoi(n.Value)
		if err != nil || count < 1 || count > MaxHosts {
			return fmt.Errorf("hosts (line %d): %q is not a number of machines from 1 to %d, or a list", n.Line, n.Value, MaxHosts)
		}
		*h = make(HostList, count)
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("hosts (line %d): a number of machines or a list of them", n.Line)
	}
	if err := strictKeys(n, reflect.TypeFor[[]HostConf](), "hosts"); err != nil {
		return err
	}
	var list []HostConf
	if err := n.Decode(&list); err != nil {
		return err
	}
	*h = list
	return nil
}

// strictKeys refuses a mapping key in n that type t has no yaml field
// for, naming its path: a node's Decode does not, only the file's
// decoder does.
func strictKeys(n *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[yaml.Unmarshaler]()) {
		return nil // reads itself
	}
	switch {
	case n.Kind == yaml.SequenceNode && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		for i, c := range n.Content {
			if err := strictKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := yamlField(t, k.Value)
			if !ok {
				return fmt.Errorf("%s.%s (line %d): unknown key", path, k.Value, k.Line)
			}
			if err := strictKeys(v, f.Type, path+"."+k.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlField returns t's field whose yaml key is key.
func yamlField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.IsExported() && name == key && name != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// HostName is machine k's (from 1) default name, hostK.
func HostName(k int) string { return "host" + strconv.Itoa(k) }

// HostAddr is machine k's (from 1) address, 10.0.0.K, on the /24
// HostPrefix.
func HostAddr(k int) netip.Addr { return netip.AddrFrom4([4]byte{10, 0, 0, byte(k)}) }

// HostPrefix is the machines' network, 10.0.0.0/24.
var HostPrefix = netip.MustParsePrefix("10.0.0.0/24")

// HostSeed is machine k's seed in a run seeded with seed: a SplitMix64
// step of seed and k, so machines draw different numbers and a run is
// still one function of its seed.
func HostSeed(seed uint64, k int) uint64 {
	z := seed + uint64(k)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// hostImage is machine k's disk image when the file's disk: section
// names image: the name gets -hostK before its extension.
func hostImage(image string, k int) string {
	if image == "" {
		return ""
	}
	ext := filepath.Ext(image)
	return strings.TrimSuffix(image, ext) + "-" + HostName(k) + ext
}

// checkHosts checks the hosts: and network: sections, and each machine's
// configuration as it will boot. A network: without hosts: is kept for
// the command line's --hosts (one machine alone has no wire).
func (c *Config) checkHosts() error {
	if c.Network != nil {
		if err := c.Network.check(); err != nil {
			return err
		}
	}
	if len(c.Hosts) > 0 && c.Isolation == IsolationProcess {
		return fmt.Errorf("isolation: process works on one machine; several machines run their servers as tasks")
	}
	if len(c.Hosts) > MaxHosts {
		return fmt.Errorf("hosts: %d machines, more than %d", len(c.Hosts), MaxHosts)
	}
	names, images := map[string]int{}, map[string]int{}
	for k := 1; k <= len(c.Hosts); k++ {
		hc := c.HostConfig(k)
		name := c.HostNameOf(k)
		key := fmt.Sprintf("hosts[%d]", k-1)
		if !validHostName(name) {
			return fmt.Errorf("%s.name: %q is not a host name (letters, digits and -, up to 63)", key, name)
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(name, "host")); err == nil && n != k && strings.HasPrefix(name, "host") {
			return fmt.Errorf("%s.name: %q names another machine (hostK is machine K)", key, name)
		}
		if j, dup := names[name]; dup {
			return fmt.Errorf("%s.name: %q is host%d's name too", key, name, j)
		}
		names[name] = k
		if hc.Disk != nil && hc.Disk.Image != "" {
			if j, dup := images[hc.Disk.Image]; dup {
				return fmt.Errorf("%s.disk.image: %s is host%d's image too", key, hc.Disk.Image, j)
			}
			images[hc.Disk.Image] = k
		}
		if err := hc.Check(); err != nil {
			return fmt.Errorf("%s (%s): %w", key, name, err)
		}
	}
	return nil
}

// validHostName reports whether s is a host name label: letters, digits
// and hyphens, not starting or ending with a hyphen, up to 63 bytes.
func validHostName(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// HostNameOf is machine k's (from 1) name: its entry's name:, else hostK.
func (c *Config) HostNameOf(k int) string {
	if k >= 1 && k <= len(c.Hosts) && c.Hosts[k-1].Name != "" {
		return c.Hosts[k-1].Name
	}
	return HostName(k)
}

// HostConfig returns the configuration machine k (from 1) of c's hosts:
// boots with: c without its hosts: and network:, changed by the
// machine's entry, seeded with HostSeed, its disk image its own.
func (c *Config) HostConfig(k int) Config {
	hc := *c
	hc.Hosts, hc.Network, hc.keep = nil, nil, nil
	hc.Seed = HostSeed(c.Seed, k)
	hc.Servers = slices.Clone(c.Servers)
	hc.Links = slices.Clone(c.Links)
	var h HostConf
	if k >= 1 && k <= len(c.Hosts) {
		h = c.Hosts[k-1]
	}
	if c.Disk != nil {
		d := *c.Disk
		d.Image = hostImage(d.Image, k)
		hc.Disk = &d
	}
	if c.Swap != nil {
		d := *c.Swap
		d.Image = hostImage(d.Image, k)
		hc.Swap = &d
	}
	if h.Disk != nil {
		d := *h.Disk
		hc.Disk = &d
	}
	if h.Servers != nil {
		hc.Servers = slices.Clone(h.Servers)
	}
	hc.Mode = cmp.Or(h.Mode, hc.Mode)
	hc.CPUs = cmp.Or(h.CPUs, hc.CPUs)
	hc.Policy = cmp.Or(h.Policy, hc.Policy)
	hc.Profile = cmp.Or(h.Profile, hc.Profile)
	return hc
}

// NetworkOrDefault returns the network: section with its defaults filled
// in (all defaults without one).
func (c *Config) NetworkOrDefault() NetworkConf {
	if c.Network == nil {
		return NetworkConf{}.withDefaults()
	}
	return c.Network.withDefaults()
}

// EtcHosts is /etc/hosts on every machine of c's hosts:: localhost, and
// each machine's address and name (and hostK, when its name is another).
func (c *Config) EtcHosts() string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n")
	for k := 1; k <= len(c.Hosts); k++ {
		name := c.HostNameOf(k)
		if name != HostName(k) {
			name += " " + HostName(k) // hostK always names machine K
		}
		fmt.Fprintf(&b, "%s\t%s\n", HostAddr(k), name)
	}
	return b.String()
}
