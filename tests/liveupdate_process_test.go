//go:build linux

package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/fsproto"
)

// The live updates under load with the server in a host process of its
// own (hybrid placement: process, or micro with isolation: process): its
// state crosses the process boundary as bytes, to a new process, at
// every update. Each update starts a host process (15–35ms of host time,
// more under the race detector); every server is updated 100 times, as
// in the other placements.
func TestLiveUpdateUnderLoadProcess(t *testing.T) {
	t.Run("echo", func(t *testing.T) {
		c := echoCampaign(100)
		cfg := boot.Default()
		cfg.Mode = boot.Hybrid
		cfg.Servers = []boot.ServerConf{{Name: echoproto.Name, Placement: boot.IsolationProcess}}
		inProcess(t, c, cfg)
	})
	t.Run("fs", func(t *testing.T) {
		c := fsCampaign(100)
		inProcess(t, c, fsConfig(boot.Hybrid, boot.IsolationProcess))
	})
	t.Run("pipe", func(t *testing.T) {
		c := pipeCampaign(100)
		cfg := boot.Default()
		cfg.Isolation = boot.IsolationProcess
		cfg.Servers = []boot.ServerConf{{Name: "pipe"}}
		inProcess(t, c, cfg)
	})
	t.Run("ds", func(t *testing.T) {
		c := dsCampaign(100)
		cfg := boot.Default()
		cfg.Mode = boot.Hybrid
		cfg.Servers = []boot.ServerConf{{Name: "ds", Placement: boot.IsolationProcess}}
		inProcess(t, c, cfg)
	})
	t.Run("pm", func(t *testing.T) {
		c := pmCampaign(100)
		cfg := boot.UserSpace(boot.Default())
		cfg.Isolation = boot.IsolationProcess
		cfg.Servers = append([]boot.ServerConf{{Name: "ds"}, {Name: fsproto.Name}}, cfg.Servers[2:]...)
		cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
		inProcess(t, c, cfg)
	})
	t.Run("mm", func(t *testing.T) {
		c := mmCampaign(100)
		cfg := boot.Default()
		cfg.Isolation = boot.IsolationProcess
		cfg.Servers = []boot.ServerConf{{Name: "mm"}}
		cfg.Memory.Frames, cfg.Memory.Resident = 96, 16
		inProcess(t, c, cfg)
	})
}

// inProcess runs campaign c on cfg, checks it, and checks that the
// service's last instance was a host process.
func inProcess(t *testing.T, c campaign, cfg boot.Config) {
	t.Helper()
	var s *boot.System
	c.booted = func(sys *boot.System) { s = sys }
	c.assertClean(t, c.run(t, cfg))
	assert.NotZero(t, s.HostPID(c.service), "the host PID of %s's last instance", c.service)
}
