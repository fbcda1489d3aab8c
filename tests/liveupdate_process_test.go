//go:build linux

package tests

import (
	"testing"

	"github.com/mkos/mkos/boot"
)

// The live update under load with echo in a host process of its own: its
// state crosses the process boundary as bytes, to a new process, 100
// times.
func TestLiveUpdateUnderLoadProcess(t *testing.T) {
	const updates = 100
	cfg := boot.Default()
	cfg.Mode = boot.Hybrid
	cfg.Servers[0].Placement = boot.IsolationProcess
	checkUpdates(t, echoUnderUpdates(t, cfg, 3, updates), updates)
}
