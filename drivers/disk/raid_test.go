package disk_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/internal/raid"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// raidRig is a booted kernel with n small in-memory disks (512 blocks
// each) and a driver serving them as one RAID.
type raidRig struct {
	rig
	members []*hw.Disk
}

func bootRAID(t *testing.T, place func(*testing.T, *kernel.Kernel, *disk.Driver), lay raid.Layout, n int) *raidRig {
	t.Helper()
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	var names []string
	var members []*hw.Disk
	for i := 0; i < n; i++ {
		dev, err := hw.Open(hw.Options{Name: fmt.Sprintf("raid%d", i), SizeBytes: 512 * 4096})
		require.NoError(t, err)
		t.Cleanup(func() { dev.Close() })
		names, members = append(names, dev.Name()), append(members, dev)
	}
	drv, err := disk.New(disk.Options{Members: names, Raid: lay})
	require.NoError(t, err)
	place(t, k, drv)
	for i, dev := range members {
		_, err = k.Attach(dev, diskproto.Name, 1<<i)
		require.NoError(t, err)
	}
	return &raidRig{rig: rig{k: k, drv: drv}, members: members}
}

// raidLayouts are the arrays the tests build, with their member counts.
var raidLayouts = []struct {
	name string
	lay  raid.Layout
}{
	{"raid0 4 disks", raid.Layout{Level: raid.Level0, Disks: 4, ChunkBlocks: 1}},
	{"raid0 3 disks chunk 4", raid.Layout{Level: raid.Level0, Disks: 3, ChunkBlocks: 4}},
	{"raid1 4 disks", raid.Layout{Level: raid.Level1, Disks: 4, ChunkBlocks: 1}},
	{"raid4 4 disks", raid.Layout{Level: raid.Level4, Disks: 4, ChunkBlocks: 1}},
	{"raid4 5 disks chunk 2", raid.Layout{Level: raid.Level4, Disks: 5, ChunkBlocks: 2}},
	{"raid5 left-symmetric", raid.Layout{Level: raid.Level5, Disks: 4, ChunkBlocks: 1}},
	{"raid5 left-asymmetric chunk 3", raid.Layout{Level: raid.Level5, Disks: 5, ChunkBlocks: 3, LeftAsymmetric: true}},
}

// TestRAIDPlacesBlocksAsTheLayout writes blocks through the driver with
// writes of several sizes (small ones that read the old parity, large
// ones that read the rest of the stripe, full stripes, writes over two
// stripes), reads them back, and then reads the members directly: every
// logical block is where internal/raid's Locate says (and on its mirror),
// and every parity block is the XOR of its row.
func TestRAIDPlacesBlocksAsTheLayout(t *testing.T) {
	writes := []struct{ block, count int64 }{{0, 1}, {5, 2}, {9, 6}, {20, 16}, {3, 1}, {40, 3}, {1, 1}}
	for _, tt := range raidLayouts {
		for _, p := range placements {
			t.Run(tt.name+"/"+p.name, func(t *testing.T) {
				r := bootRAID(t, p.place, tt.lay, tt.lay.Disks)
				want := map[int64]byte{}
				r.client(t, "writer", func(sys ipc.Sys, c diskproto.Client) {
					for i, w := range writes {
						buf := fill(byte(16*i+1), int(w.count))
						assert.NoError(t, c.WriteBlocks(w.block, int(w.count), buf), "write %d+%d", w.block, w.count)
						for j := int64(0); j < w.count; j++ {
							want[w.block+j] = buf[j*4096]
						}
					}
					got := make([]byte, 16*4096)
					for from := int64(0); from < 48; from += 16 {
						assert.NoError(t, c.ReadBlocks(from, 16, got))
						for b := int64(0); b < 16; b++ {
							assert.Equal(t, want[from+b], got[b*4096], "ReadBlocks: block %d", from+b)
						}
					}
				})
				r.run(t)
				checkMembers(t, tt.lay, r.members, want)
			})
		}
	}
}

// checkMembers reads the members directly and checks the placement of
// the blocks in want and the parity of every row they touch.
func checkMembers(t *testing.T, lay raid.Layout, members []*hw.Disk, want map[int64]byte) {
	t.Helper()
	lay.Disks = len(members)
	block := func(d int, off int64) []byte {
		b := make([]byte, 4096)
		require.NoError(t, members[d].ReadBlocks(off, b))
		return b
	}
	for b, v := range want {
		d, off := lay.Locate(b)
		assert.Equal(t, v, block(d, off)[0], "block %d on disk %d offset %d", b, d, off)
		if m := lay.Mirror(b); m >= 0 {
			assert.Equal(t, v, block(m, off)[0], "block %d on its mirror, disk %d", b, m)
		}
		if p := lay.ParityDisk(lay.Stripe(b)); p >= 0 {
			x := make([]byte, 4096)
			for disk := range members {
				for i, c := range block(disk, off) {
					x[i] ^= c
				}
			}
			assert.True(t, bytes.Equal(x, make([]byte, 4096)), "row of block %d (offset %d): data and parity do not XOR to zero", b, off)
		}
	}
}

// TestRAIDInfoIsTheLogicalDisk checks the size the driver reports: the
// data disks' share of the smallest member, in whole chunks.
func TestRAIDInfoIsTheLogicalDisk(t *testing.T) {
	tests := []struct {
		name   string
		lay    raid.Layout
		blocks int64
	}{
		{"raid0 of 4", raid.Layout{Level: raid.Level0, Disks: 4}, 4 * 512},
		{"raid1 of 4", raid.Layout{Level: raid.Level1, Disks: 4}, 2 * 512},
		{"raid5 of 4, chunks of 3", raid.Layout{Level: raid.Level5, Disks: 4, ChunkBlocks: 3}, 3 * 510},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bootRAID(t, placements[0].place, tt.lay, tt.lay.Disks)
			r.client(t, "info", func(sys ipc.Sys, c diskproto.Client) {
				g, err := c.Info()
				assert.NoError(t, err)
				assert.Equal(t, tt.blocks, g.Blocks, "Info().Blocks")
				assert.Equal(t, 4096, g.BlockSize, "Info().BlockSize")
			})
			r.run(t)
		})
	}
}

// TestRAIDMemberOperations counts the operations each member serves: a
// striped read is one operation per disk (its blocks contiguous there);
// RAID 4's small write reads and writes the data disk and the parity disk
// only; a full-stripe write reads nothing.
func TestRAIDMemberOperations(t *testing.T) {
	type ops struct{ reads, writes int64 }
	tests := []struct {
		name  string
		lay   raid.Layout
		write bool
		block int64
		count int
		want  []ops
	}{
		{"raid0 read of 8 blocks", raid.Layout{Level: raid.Level0, Disks: 4}, false, 0, 8, []ops{{1, 0}, {1, 0}, {1, 0}, {1, 0}}},
		{"raid1 write mirrors", raid.Layout{Level: raid.Level1, Disks: 2}, true, 7, 1, []ops{{0, 1}, {0, 1}}},
		{"raid4 small write", raid.Layout{Level: raid.Level4, Disks: 4}, true, 4, 1, []ops{{0, 0}, {1, 1}, {0, 0}, {1, 1}}},
		{"raid4 full stripe", raid.Layout{Level: raid.Level4, Disks: 4}, true, 3, 3, []ops{{0, 1}, {0, 1}, {0, 1}, {0, 1}}},
		{"raid5 read skips parity", raid.Layout{Level: raid.Level5, Disks: 3}, false, 0, 2, []ops{{1, 0}, {1, 0}, {0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bootRAID(t, placements[0].place, tt.lay, tt.lay.Disks)
			r.client(t, "io", func(sys ipc.Sys, c diskproto.Client) {
				buf := fill(7, tt.count)
				if tt.write {
					assert.NoError(t, c.WriteBlocks(tt.block, tt.count, buf))
				} else {
					assert.NoError(t, c.ReadBlocks(tt.block, tt.count, buf))
				}
			})
			r.run(t)
			for i, m := range r.members {
				s := m.Stats()
				assert.Equal(t, tt.want[i], ops{s.Reads, s.Writes}, "member %d: (reads, writes)", i)
			}
		})
	}
}

func TestRAIDBadLayout(t *testing.T) {
	_, err := disk.New(disk.Options{Members: []string{"a", "b", "c"}, Raid: raid.Layout{Level: raid.Level1}})
	assert.ErrorIs(t, err, raid.ErrLayout, "RAID 1 of 3 disks")
}

// FuzzRAIDHandler sends a RAID 5 driver placed in the kernel the requests
// a hostile program makes of the fuzzer's bytes: whatever they are, the
// handler answers without a panic (which would be a kernel panic).
//
//	go test ./drivers/disk -run '^$' -fuzz FuzzRAIDHandler -fuzztime 20s
func FuzzRAIDHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(diskproto.Stats)) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		r := bootRAID(t, placements[1].place, raid.Layout{Level: raid.Level5, Disks: 3, ChunkBlocks: 2}, 3)
		_, err := r.k.Spawn(ipc.TaskSpec{Name: "hostile", Body: func(sys ipc.Sys) {
			kerneltest.Requests(sys, diskproto.Name, int(diskproto.Stats), prog)
		}})
		require.NoError(t, err)
		r.run(t)
	})
}

// TestRAIDMemberFailure cuts the power of one member of a RAID 0: a
// request that needs it fails with EIO (there is no degraded mode), the
// others still succeed, and the driver keeps serving.
func TestRAIDMemberFailure(t *testing.T) {
	r := bootRAID(t, placements[0].place, raid.Layout{Level: raid.Level0, Disks: 4, ChunkBlocks: 1}, 4)
	r.client(t, "io", func(sys ipc.Sys, c diskproto.Client) {
		assert.NoError(t, c.WriteBlocks(0, 8, fill(1, 8)), "before the failure")
		r.members[1].PowerCut(sys.Now())
		assert.ErrorIs(t, c.ReadBlocks(0, 8, make([]byte, 8*4096)), linux.EIO, "a read striped over the dead member")
		buf := make([]byte, 4096)
		assert.NoError(t, c.ReadBlocks(2, 1, buf), "a read of a live member")
		assert.Equal(t, fill(1, 8)[2*4096:3*4096], buf)
		assert.ErrorIs(t, c.WriteBlocks(5, 1, buf), linux.EIO, "a write to the dead member")
		assert.NoError(t, c.WriteBlocks(4, 1, buf), "a write to a live member")
	})
	r.run(t)
}
