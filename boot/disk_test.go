package boot_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
)

func TestMain(m *testing.M) {
	boot.ChildMain() // the server processes of process_test.go
	goleak.VerifyTestMain(m)
}

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"4096", 4096}, {"512KiB", 512 << 10}, {"64MiB", 64 << 20}, {"64M", 64 << 20},
		{"1GiB", 1 << 30}, {"1T", 1 << 40}, {"0", 0}, {"100B", 100},
	} {
		got, err := boot.ParseSize(c.in)
		if assert.NoError(t, err, c.in) {
			assert.Equal(t, c.want, got, "ParseSize(%q)", c.in)
		}
	}
	for _, bad := range []string{"", "lots", "-1", "1.5MiB", "2TiB", "64 MB", "MiB", "1KiBi"} {
		_, err := boot.ParseSize(bad)
		assert.Error(t, err, "ParseSize(%q)", bad)
	}
}

// diskRun boots cfg with no demo clients, runs body in one task with a
// disk client, and closes the system.
func diskRun(t *testing.T, cfg boot.Config, body func(c diskproto.Client)) *boot.Summary {
	t.Helper()
	cfg.Workload.Clients = 0
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "fs", Body: func(s ipc.Sys) {
		id, err := s.Lookup(diskproto.Name)
		assert.NoError(t, err)
		body(diskproto.Client{Sys: s, Dst: ipc.ServiceEndpoint(id)})
	}})
	require.NoError(t, err)
	sum, err := sys.Run()
	require.NoError(t, err)
	require.NoError(t, sys.Close())
	require.NoError(t, sys.Close(), "a second Close does nothing")
	return sum
}

// What one run writes to the image, the next run reads: in every mode,
// the driver placed as the mode says.
func TestDiskImageSurvivesReboot(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := boot.Default()
			cfg.Mode = mode
			cfg.Disk = &boot.DiskConf{Image: filepath.Join(t.TempDir(), "disk.img"), Size: 1 << 20, Kind: "ssd"}
			data := bytes.Repeat([]byte("mkos"), 2*4096/4)
			sum := diskRun(t, cfg, func(c diskproto.Client) {
				assert.NoError(t, c.WriteBlocks(7, 2, data))
			})
			require.NotNil(t, sum.Disk)
			assert.Equal(t, int64(1), sum.Disk.Writes)
			assert.Equal(t, cfg.Disk.Image, sum.Disk.Image)

			cfg.Disk.Size = 0 // the image says
			got := make([]byte, len(data))
			var geo diskproto.Geometry
			sum = diskRun(t, cfg, func(c diskproto.Client) {
				var err error
				geo, err = c.Info()
				assert.NoError(t, err)
				assert.NoError(t, c.ReadBlocks(7, 2, got))
			})
			assert.Equal(t, data, got)
			assert.Equal(t, diskproto.Geometry{BlockSize: 4096, Blocks: 256, Kind: "ssd"}, geo)
			placement := "user"
			if mode == boot.Mono {
				placement = "kernel"
			}
			for _, s := range sum.Services {
				if s.Name == diskproto.Name {
					assert.Equal(t, placement, s.Placement)
					assert.Equal(t, int64(2), s.Requests)
				}
			}
		})
	}
}

func TestNoDiskNoDiskService(t *testing.T) {
	sys, err := boot.Boot(boot.Default(), nil)
	require.NoError(t, err)
	sum, err := sys.Run()
	require.NoError(t, err)
	assert.NoError(t, sys.Close())
	assert.Nil(t, sum.Disk)
	for _, s := range sum.Services {
		assert.NotEqual(t, diskproto.Name, s.Name)
	}
}

func TestBootRefusesABadImage(t *testing.T) {
	cfg := boot.Default()
	cfg.Disk = &boot.DiskConf{Image: filepath.Join(t.TempDir(), "no", "such", "dir", "disk.img")}
	_, err := boot.Boot(cfg, nil)
	assert.ErrorContains(t, err, "no such file or directory")
}

func TestFormatDiskNeedsADisk(t *testing.T) {
	c := boot.Default()
	c.Workload = boot.WorkloadConf{}
	sys, err := boot.Boot(c, nil)
	require.NoError(t, err)
	defer sys.Close()
	assert.ErrorContains(t, sys.FormatDisk(), "no disk")
}
