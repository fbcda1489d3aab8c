package bench

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/fsproto"
)

// Setup is where and how a workload runs: the placement of its servers,
// the cost profile of virtual time, the disk, and the workloads' sizes.
// The zero value is micro mode with boot's defaults.
type Setup struct {
	// Mode places the servers; empty takes Base's mode.
	Mode boot.Mode
	// Base is a boot configuration (mkos bench --config): its servers'
	// placements, links, disk and scheduling are kept; its server list
	// and demo workload are replaced by what the workload needs. Nil
	// takes boot.Default() and boot.DefaultHybrid's placements.
	Base *boot.Config
	// Isolation is the isolation of user-space servers: "" or task, or
	// process (each a host process of its own; boot's isolation:).
	Isolation string
	// Links adds the hybrid direct links (LinkPairs) between the servers
	// the workload uses, where the caller runs in user space.
	Links bool
	// Profile is the cost profile (default "l4").
	Profile string
	// DiskKind is the simulated disk's latency model, "ssd" (default) or
	// "hdd"; a disk: section in Base overrides it.
	DiskKind string
	// SeqBytes is the size of seqio's file (default DefaultSeqBytes).
	SeqBytes int64
	// ComputeNs is the virtual CPU time of one mixed job's own work
	// (default DefaultComputeNs).
	ComputeNs int64
	// MaxTimeNs stops each measured system at this virtual time (0: no
	// limit); a measurement stopped there fails with ErrTimeLimit.
	MaxTimeNs int64
}

// DefaultSeqBytes is seqio's file: 8 MiB. `mkos bench --large` makes it
// LargeSeqBytes.
const (
	DefaultSeqBytes = 8 << 20
	LargeSeqBytes   = 64 << 20
)

// LinkPairs are the direct links --links adds, caller first: the servers
// that call another server. (mm's swap goes to a "swap" service that boot
// does not place.)
var LinkPairs = [][2]string{{fsproto.Name, diskproto.Name}}

// diskBytes is the size of the benchmark disk for a seqio file of seq
// bytes: room for the file, the journal and the metadata.
func diskBytes(seq int64) int64 { return max(64<<20, 2*seq+32<<20) }

// config is the boot configuration that runs w under s.
func (s Setup) config(w *Workload) (boot.Config, error) {
	c := boot.Default()
	if s.Base != nil {
		c = *s.Base
	}
	placed := map[string]boot.ServerConf{}
	if s.Base != nil {
		for _, sc := range c.Servers {
			placed[sc.Name] = sc
		}
	}
	if s.Mode != "" {
		c.Mode = s.Mode
	}
	if s.Profile != "" {
		c.Profile = s.Profile
	}
	if s.Isolation != "" {
		c.Isolation = s.Isolation
	}
	c.MaxTime = boot.Duration(s.MaxTimeNs)
	c.Workload = boot.WorkloadConf{}
	c.Servers = nil
	for _, name := range w.Needs {
		sc := placed[name]
		sc.Name = name
		c.Servers = append(c.Servers, sc)
	}
	c.Disk = s.disk(w, c.Disk)
	c.Links = s.links(&c)
	return c, c.Check()
}

// disk returns the disk: section for w: none unless it uses the file
// server; Base's, in memory, when it has one.
func (s Setup) disk(w *Workload, base *boot.DiskConf) *boot.DiskConf {
	if !slices.Contains(w.Needs, fsproto.Name) {
		return nil
	}
	d := boot.DiskConf{Kind: s.DiskKind}
	if d.Kind == "" {
		d.Kind = "ssd"
	}
	if base != nil {
		d = *base
		d.Image = "" // a benchmark never writes the user's image
	}
	d.Size = boot.Size(max(int64(d.Size), diskBytes(s.seqBytes())))
	return &d
}

// links keeps the configured links between servers that are placed, and
// adds LinkPairs when s.Links.
func (s Setup) links(c *boot.Config) []boot.LinkConf {
	has := map[string]bool{}
	for _, sc := range c.Servers {
		has[sc.Name] = true
	}
	if c.Disk != nil {
		has[diskproto.Name] = true
	}
	var out []boot.LinkConf
	for _, l := range c.Links {
		if has[l.From] && has[l.To] {
			out = append(out, l)
		}
	}
	if s.Links {
		for _, p := range LinkPairs {
			l := boot.LinkConf{From: p[0], To: p[1]}
			if has[l.From] && has[l.To] && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// ActiveLinks returns the links of w's configuration whose caller runs in
// user space: a link from a server placed in the kernel changes nothing,
// since that server's calls are made in its caller's trap.
func (s Setup) ActiveLinks(w *Workload) []boot.LinkConf {
	c, err := s.config(w)
	if err != nil {
		return nil
	}
	var out []boot.LinkConf
	for _, l := range c.Links {
		if !c.InKernel(boot.ServerConf{Name: l.From, Placement: placementOf(c, l.From)}) {
			out = append(out, l)
		}
	}
	return out
}

func placementOf(c boot.Config, name string) string {
	for _, sc := range c.Servers {
		if sc.Name == name {
			return sc.Placement
		}
	}
	return ""
}

func (s Setup) seqBytes() int64 {
	if s.SeqBytes > 0 {
		return s.SeqBytes
	}
	return DefaultSeqBytes
}

func (s Setup) computeNs() int64 {
	if s.ComputeNs > 0 {
		return s.ComputeNs
	}
	return DefaultComputeNs
}

// Placement is one column of the comparison: a mode, or a configuration
// file, with the hybrid direct links on or off.
type Placement struct {
	// Label names the placement in tables: micro, mono, hybrid,
	// hybrid+links, or the configuration file's base name.
	Label string
	Setup Setup
}

// Placements returns the placements to compare: each mode, hybrid again
// with links when links is set, and the configuration cfg (from the file
// at path) when it is not nil, with and without links likewise.
func Placements(modes []boot.Mode, links bool, cfg *boot.Config, path string) []Placement {
	var out []Placement
	for _, m := range modes {
		out = append(out, Placement{Label: string(m), Setup: Setup{Mode: m}})
		if links && m == boot.Hybrid {
			out = append(out, Placement{Label: "hybrid+links", Setup: Setup{Mode: m, Links: true}})
		}
	}
	if cfg != nil {
		name := filepath.Base(path)
		out = append(out, Placement{Label: name, Setup: Setup{Base: cfg}})
		if links {
			out = append(out, Placement{Label: name + "+links", Setup: Setup{Base: cfg, Links: true}})
		}
	}
	return out
}

// String describes the setup for errors.
func (s Setup) String() string {
	m := s.Mode
	if m == "" && s.Base != nil {
		m = s.Base.Mode
	}
	prof := s.Profile
	if prof == "" {
		prof = "l4"
	}
	return fmt.Sprintf("%s mode (profile %s, links %v)", m, prof, s.Links)
}

// WithIsolations returns ps measured in each isolation: task keeps a
// placement as it is, process adds it again, labelled mode/process, with
// its user-space servers in host processes (mono, which has none, is not
// repeated).
func WithIsolations(ps []Placement, isolations []string) []Placement {
	var out []Placement
	for _, iso := range isolations {
		for _, p := range ps {
			switch {
			case iso == boot.IsolationTask:
				out = append(out, p)
			case p.Setup.Mode != boot.Mono:
				p.Label += "/" + iso
				p.Setup.Isolation = iso
				out = append(out, p)
			}
		}
	}
	return out
}
