//go:build linux

package tests

import (
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc/echoproto"
)

// The live updates under load with the server in a host process of its
// own (hybrid placement: process, or micro with isolation: process): its
// state crosses the process boundary as bytes, to a new process, at
// every update. ds and pm cannot run in a process (boot's noProcess).
// Each update starts a host process (15–35ms of host time, more under
// the race detector): echo is updated 100 times, fs, pipe and mm 30, to
// keep the suite fast.
func TestLiveUpdateUnderLoadProcess(t *testing.T) {
	t.Run("echo", func(t *testing.T) {
		c := echoCampaign(100)
		cfg := boot.Default()
		cfg.Mode = boot.Hybrid
		cfg.Servers = []boot.ServerConf{{Name: echoproto.Name, Placement: boot.IsolationProcess}}
		c.assertClean(t, c.run(t, cfg))
	})
	t.Run("fs", func(t *testing.T) {
		c := fsCampaign(30)
		c.assertClean(t, c.run(t, fsConfig(boot.Hybrid, boot.IsolationProcess)))
	})
	t.Run("pipe", func(t *testing.T) {
		c := pipeCampaign(30)
		cfg := boot.Default()
		cfg.Isolation = boot.IsolationProcess
		cfg.Servers = []boot.ServerConf{{Name: "pipe"}}
		c.assertClean(t, c.run(t, cfg))
	})
	t.Run("mm", func(t *testing.T) {
		c := mmCampaign(30)
		cfg := boot.Default()
		cfg.Isolation = boot.IsolationProcess
		cfg.Servers = []boot.ServerConf{{Name: "mm"}}
		cfg.Memory.Frames, cfg.Memory.Resident = 96, 16
		c.assertClean(t, c.run(t, cfg))
	})
}
