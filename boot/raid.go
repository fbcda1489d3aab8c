package boot

import (
	"errors"
	"fmt"
	"io"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/internal/raid"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/bdev"
)

// RaidConf is the disk: section's raid: the disk is a software RAID of
// Disks simulated disks, each as the section says (size, block size,
// kind; image IMAGE.0, IMAGE.1, … when image is set), which the disk
// driver serves as one disk (drivers/disk, Options.Members).
type RaidConf struct {
	// Level is 0 (striping), 1 (mirroring), 4 (a parity disk) or 5
	// (rotating parity).
	Level int `yaml:"level"`
	// Disks is the number of member disks (4).
	Disks int `yaml:"disks"`
	// Chunk is the number of consecutive blocks on one disk (1).
	Chunk int `yaml:"chunk"`
	// Layout is RAID 5's placement: ls (left-symmetric, default) or la.
	Layout string `yaml:"layout"`
}

// raidLayout is the section's layout, defaults filled in.
func (r *RaidConf) raidLayout() raid.Layout {
	l := raid.Layout{Level: raid.Level(r.Level), Disks: r.Disks, ChunkBlocks: int64(r.Chunk), LeftAsymmetric: r.Layout == "la"}
	if l.Disks == 0 {
		l.Disks = 4
	}
	if l.ChunkBlocks == 0 {
		l.ChunkBlocks = 1
	}
	return l
}

// check checks the raid: section of the disk: section named key.
func (r *RaidConf) check(key string) error {
	if key != "disk" {
		return fmt.Errorf("%s.raid: only the disk: section can be a RAID", key)
	}
	if r.Layout != "" && r.Layout != "ls" && r.Layout != "la" {
		return fmt.Errorf("disk.raid.layout: %q is not ls or la", r.Layout)
	}
	if r.Disks > 32 {
		return fmt.Errorf("disk.raid.disks: %d disks; at most 32", r.Disks)
	}
	if err := r.raidLayout().Check(); err != nil {
		return fmt.Errorf("disk.raid: %w", err)
	}
	return nil
}

// members are the device names of the array's disks.
func (r *RaidConf) members() []string {
	names := make([]string, r.raidLayout().Disks)
	for i := range names {
		names[i] = fmt.Sprintf("disk%d", i)
	}
	return names
}

// RAIDDisks is a booted system's RAID: its layout and its member disks.
type RAIDDisks struct {
	Layout  raid.Layout
	Members []*hw.Disk
}

// attachRAID opens the members of the disk: section's RAID and attaches
// them all to the disk service, each with its own interrupt bit.
func (s *System) attachRAID(dc *DiskConf) error {
	r := &RAIDDisks{Layout: dc.Raid.raidLayout()}
	for i, name := range dc.Raid.members() {
		image := ""
		if dc.Image != "" {
			image = fmt.Sprintf("%s.%d", dc.Image, i)
		}
		d, err := hw.Open(hw.Options{Name: name, Image: image, SizeBytes: int64(dc.Size), BlockSize: dc.BlockSize, Kind: dc.Kind})
		if err != nil {
			return errors.Join(err, r.close())
		}
		r.Members = append(r.Members, d)
		if _, err := s.Kernel.Attach(d, diskproto.Name, disk.IRQ<<i); err != nil {
			return errors.Join(err, r.close())
		}
	}
	s.RAID = r
	return nil
}

func (r *RAIDDisks) close() error {
	var err error
	for _, d := range r.Members {
		err = errors.Join(err, d.Close())
	}
	return err
}

// Dev is the array as a block device offline (not through the driver),
// for mkfs and fsck: it reads and writes the members directly, parity
// included.
func (r *RAIDDisks) Dev() *RAIDDev { return &RAIDDev{r} }

// RAIDDev is RAIDDisks.Dev: the logical disk of a RAID, offline. A write
// of a block writes it (and its mirror) and recomputes its row's parity.
type RAIDDev struct{ r *RAIDDisks }

// BlockSize returns the members' block size.
func (d *RAIDDev) BlockSize() int { return d.r.Members[0].BlockSize() }

// Blocks returns the logical disk's size, as the driver computes it.
func (d *RAIDDev) Blocks() int64 {
	per := d.r.Members[0].Blocks()
	for _, m := range d.r.Members {
		per = min(per, m.Blocks())
	}
	return d.r.Layout.LogicalBlocks(per)
}

// ReadBlocks reads len(buf)/BlockSize() blocks from block.
func (d *RAIDDev) ReadBlocks(block int64, buf []byte) error {
	bs := d.BlockSize()
	if err := d.span(block, buf); err != nil {
		return err
	}
	for i := 0; i < len(buf)/bs; i++ {
		disk, off := d.r.Layout.Locate(block + int64(i))
		if err := d.r.Members[disk].ReadBlocks(off, buf[i*bs:(i+1)*bs]); err != nil {
			return err
		}
	}
	return nil
}

// WriteBlocks writes len(buf)/BlockSize() blocks from block.
func (d *RAIDDev) WriteBlocks(block int64, buf []byte) error {
	bs := d.BlockSize()
	if err := d.span(block, buf); err != nil {
		return err
	}
	lay := d.r.Layout
	for i := 0; i < len(buf)/bs; i++ {
		b := block + int64(i)
		disk, off := lay.Locate(b)
		if err := d.r.Members[disk].WriteBlocks(off, buf[i*bs:(i+1)*bs]); err != nil {
			return err
		}
		if m := lay.Mirror(b); m >= 0 {
			if err := d.r.Members[m].WriteBlocks(off, buf[i*bs:(i+1)*bs]); err != nil {
				return err
			}
		}
		if p := lay.ParityDisk(lay.Stripe(b)); p >= 0 {
			if err := d.parity(p, off); err != nil {
				return err
			}
		}
	}
	return nil
}

// parity rewrites the parity at offset off of disk p from its row.
func (d *RAIDDev) parity(p int, off int64) error {
	bs := d.BlockSize()
	x, blk := make([]byte, bs), make([]byte, bs)
	for i, m := range d.r.Members {
		if i == p {
			continue
		}
		if err := m.ReadBlocks(off, blk); err != nil {
			return err
		}
		for j := range x {
			x[j] ^= blk[j]
		}
	}
	return d.r.Members[p].WriteBlocks(off, x)
}

func (d *RAIDDev) span(block int64, buf []byte) error {
	bs := int64(d.BlockSize())
	if block < 0 || int64(len(buf))%bs != 0 || block+int64(len(buf))/bs > d.Blocks() {
		return linux.EINVAL
	}
	return nil
}

// Flush flushes every member.
func (d *RAIDDev) Flush() error {
	var err error
	for _, m := range d.r.Members {
		err = errors.Join(err, m.Flush())
	}
	return err
}

// BlockDev is the system's disk as a block device offline (for mkfs and
// fsck): the disk, the logical disk of its RAID, or nil without a disk.
func (s *System) BlockDev() bdev.BlockDev {
	switch {
	case s.RAID != nil:
		return s.RAID.Dev()
	case s.Disk != nil:
		return s.Disk
	}
	return nil
}

// RAIDSummary is the summary's RAID: its layout and each member's counters.
type RAIDSummary struct {
	Level       int            `json:"level"`
	ChunkBlocks int64          `json:"chunk_blocks"`
	Layout      string         `json:"layout,omitempty"`
	Blocks      int64          `json:"blocks"`
	Members     []*DiskSummary `json:"members"`
}

func (s *System) raidSummary() *RAIDSummary {
	if s.RAID == nil {
		return nil
	}
	l := s.RAID.Layout
	r := &RAIDSummary{Level: int(l.Level), ChunkBlocks: l.ChunkBlocks, Blocks: s.RAID.Dev().Blocks()}
	if l.Level == 5 {
		r.Layout = map[bool]string{false: "left-symmetric", true: "left-asymmetric"}[l.LeftAsymmetric]
	}
	for _, m := range s.RAID.Members {
		r.Members = append(r.Members, s.diskSummaryOf(m))
	}
	return r
}

// write prints the RAID's lines of the summary.
func (r *RAIDSummary) write(w io.Writer) {
	layout := ""
	if r.Layout != "" {
		layout = ", " + r.Layout
	}
	fmt.Fprintf(w, "\nRAID %d of %d disks, chunks of %d block(s)%s: %d logical blocks\n", r.Level, len(r.Members), r.ChunkBlocks, layout, r.Blocks)
	for _, m := range r.Members {
		fmt.Fprintf(w, "  %s\n", m)
	}
}
