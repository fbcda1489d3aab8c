package boot_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel/kerneltest"
	"github.com/mkos/mkos/servers/fs"
)

// TestRAIDDisk boots systems whose disk is a RAID (disk.raid:), formats
// it offline through RAIDDisks.Dev, and has a program write a file through
// the file server and the driver's RAID and read it back; the array then
// reads the same bytes offline, and every row's parity checks.
func TestRAIDDisk(t *testing.T) {
	tests := []struct {
		name string
		raid boot.RaidConf
	}{
		{"raid0", boot.RaidConf{Level: 0, Disks: 3}},
		{"raid1", boot.RaidConf{Level: 1, Disks: 2}},
		{"raid4 chunk 2", boot.RaidConf{Level: 4, Disks: 3, Chunk: 2}},
		{"raid5", boot.RaidConf{Level: 5}},
		{"raid5 left-asymmetric", boot.RaidConf{Level: 5, Disks: 5, Layout: "la"}},
	}
	data := bytes.Repeat([]byte("raid block "), 3000) // 33000 bytes: 9 blocks
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := boottest.Config(boot.Mono)
			raid := tt.raid
			cfg.Disk = &boot.DiskConf{Size: 2 << 20, Kind: "ssd", Raid: &raid}
			sys, err := boot.Boot(cfg, &kerneltest.Panics{})
			require.NoError(t, err)
			defer sys.Close()
			require.NotNil(t, sys.RAID)
			require.NoError(t, sys.FormatDisk())
			var got []byte
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "prog", Body: func(s ipc.Sys) {
				dst, err := ipc.Dial(s, fsproto.Name)
				if !assert.NoError(t, err) {
					return
				}
				c := fsproto.Client{Sys: s, Dst: dst}
				fd, err := c.Open("/tmp/f", linux.O_WRONLY|linux.O_CREAT, 0o644)
				if assert.NoError(t, err) {
					_, err = c.Write(fd, data)
					assert.NoError(t, err)
					assert.NoError(t, c.Close(fd))
				}
				got, err = c.ReadFile("/tmp/f")
				assert.NoError(t, err)
				assert.NoError(t, c.Sync())
			}})
			require.NoError(t, err)
			require.NoError(t, sys.Kernel.Run())
			assert.Equal(t, data, got, "ReadFile through the RAID")
			checkParity(t, sys.RAID)
			assert.Equal(t, data, readOffline(t, sys.RAID, "/tmp/f", len(data)), "the file on the members, read offline")
		})
	}
}

// readOffline mounts the file system on the array's members, offline,
// and reads n bytes of the file at path.
func readOffline(t *testing.T, r *boot.RAIDDisks, path string, n int) []byte {
	t.Helper()
	f, err := fs.Mount(r.Dev(), fs.Options{})
	require.NoError(t, err)
	fd, err := f.Open(ipc.Endpoint(1), path, linux.O_RDONLY, 0)
	require.NoError(t, err)
	buf := make([]byte, n+1)
	got, err := f.Read(ipc.Endpoint(1), fd, buf)
	require.NoError(t, err)
	return buf[:got]
}

// checkParity checks every row of a RAID 4/5: the members' blocks at each
// offset XOR to zero.
func checkParity(t *testing.T, r *boot.RAIDDisks) {
	t.Helper()
	if r.Layout.ParityDisk(0) < 0 {
		return
	}
	bs := r.Members[0].BlockSize()
	blk := make([]byte, bs)
	for off := int64(0); off < r.Members[0].Blocks(); off++ {
		x := make([]byte, bs)
		for _, m := range r.Members {
			require.NoError(t, m.ReadBlocks(off, blk))
			for i := range x {
				x[i] ^= blk[i]
			}
		}
		if !bytes.Equal(x, make([]byte, bs)) {
			t.Errorf("row at offset %d: the parity does not match the data", off)
			return
		}
	}
}

func TestRAIDConfigChecked(t *testing.T) {
	tests := []struct {
		name string
		raid boot.RaidConf
		swap bool
		want string
	}{
		{"raid1 of 3", boot.RaidConf{Level: 1, Disks: 3}, false, "disk.raid: raid: bad layout"},
		{"level 2", boot.RaidConf{Level: 2}, false, "level 2"},
		{"layout", boot.RaidConf{Level: 5, Layout: "rs"}, false, `disk.raid.layout: "rs"`},
		{"too many disks", boot.RaidConf{Level: 0, Disks: 40}, false, "at most 32"},
		{"swap", boot.RaidConf{Level: 0}, true, "swap.raid: only the disk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := boottest.Config(boot.Mono)
			raid := tt.raid
			if tt.swap {
				cfg.Swap.Raid = &raid
			} else {
				cfg.Disk.Raid = &raid
			}
			_, err := boot.Boot(cfg, nil)
			if assert.Error(t, err) {
				assert.Contains(t, err.Error(), tt.want, fmt.Sprint("Boot() error for ", tt.name))
			}
		})
	}
}

// TestRAIDSummary runs the demo workload on a RAID 1 and checks the
// summary: the layout, and both mirrors written alike.
func TestRAIDSummary(t *testing.T) {
	cfg := boot.Default()
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 2 << 20, Kind: "ssd", Raid: &boot.RaidConf{Level: 1, Disks: 2}}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, sys.FormatDisk())
	sum, err := sys.Run()
	require.NoError(t, err)
	require.NoError(t, sys.Close())
	require.NotNil(t, sum.RAID, "Summary.RAID")
	assert.Equal(t, 1, sum.RAID.Level)
	assert.Equal(t, int64(512), sum.RAID.Blocks, "a mirror of two 512-block disks")
	require.Len(t, sum.RAID.Members, 2)
	assert.NotZero(t, sum.RAID.Members[0].Writes, "the demo's logs reach the disks")
	assert.Equal(t, sum.RAID.Members[0].Writes, sum.RAID.Members[1].Writes, "every write goes to both mirrors")
	var b bytes.Buffer
	sum.Write(&b)
	assert.Contains(t, b.String(), "RAID 1 of 2 disks, chunks of 1 block(s): 512 logical blocks")
}
