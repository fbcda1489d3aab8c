package boot

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// The raw peers of three machines send 20 requests each, machine K to
// machine K%3+1, from about 5.5ms (after boot) to about 9.5ms.
func TestClusterNetworkFaults(t *testing.T) {
	const yaml = "hosts: 3\nnetwork: {latency: 50us}\n"
	cases := []struct {
		name  string
		setup func(c *Cluster) error
		check func(t *testing.T, sum *ClusterSummary, tl []rawTally)
	}{
		{"partition", func(c *Cluster) error { return c.PartitionAt(0, 2) }, func(t *testing.T, sum *ClusterSummary, tl []rawTally) {
			// 1→2 and 2→3 cross the cut; 3→1 stays on one side.
			if tl[0].answers != 0 || tl[1].answers != 0 || tl[2].answers != 20 {
				t.Errorf("answers = %d, %d, %d; want 0, 0, 20 with host2 cut off", tl[0].answers, tl[1].answers, tl[2].answers)
			}
			if sum.Network.Switch.Partitioned == 0 {
				t.Errorf("switch partitioned = 0 frames, want some")
			}
		}},
		{"partition healed", func(c *Cluster) error {
			if err := c.PartitionAt(0, 2); err != nil {
				return err
			}
			return c.HealAt(7_500_000)
		}, func(t *testing.T, sum *ClusterSummary, tl []rawTally) {
			if tl[0].answers == 0 || tl[0].answers == 20 || sum.Network.Switch.Partitioned == 0 {
				t.Errorf("host1 answers = %d, partitioned %d; want some answers after the heal, not all, and some frames cut",
					tl[0].answers, sum.Network.Switch.Partitioned)
			}
		}},
		{"loss burst", func(c *Cluster) error { return c.LossBurstAt(0, 1_000_000_000) }, func(t *testing.T, sum *ClusterSummary, tl []rawTally) {
			if got := tl[0].answers + tl[1].answers + tl[2].answers; got != 0 || sum.Network.Switch.Faulted == 0 {
				t.Errorf("answers = %d, switch faulted %d; want 0 answers and every frame faulted", got, sum.Network.Switch.Faulted)
			}
		}},
		{"link down", func(c *Cluster) error { return c.LinkAt(3, 0, false) }, func(t *testing.T, sum *ClusterSummary, tl []rawTally) {
			if tl[0].answers != 20 || tl[1].answers != 0 || tl[2].answers != 0 {
				t.Errorf("answers = %d, %d, %d; want 20, 0, 0 with host3's cable pulled", tl[0].answers, tl[1].answers, tl[2].answers)
			}
		}},
		{"NIC driver crash", func(c *Cluster) error { return c.InjectAt(2, 7_000_000, "nic", ipc.InjectCrash, 0) }, func(t *testing.T, sum *ClusterSummary, tl []rawTally) {
			if len(sum.Hosts[1].Summary.Restarts) == 0 || sum.Hosts[1].Summary.Restarts[0].Server != "nic" {
				t.Errorf("host2 restarts = %+v, want the nic driver's", sum.Hosts[1].Summary.Restarts)
			}
			if len(sum.Hosts[0].Summary.Restarts)+len(sum.Hosts[2].Summary.Restarts) != 0 {
				t.Errorf("host1 and host3 restarted servers; want only host2's driver")
			}
			if tl[0].answers < 10 {
				t.Errorf("host1 answers = %d, want most of 20 across host2's driver's restart", tl[0].answers)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, sum, tl := runRawWith(t, yaml, 20, func(cl *Cluster) {
				if err := c.setup(cl); err != nil {
					t.Fatal(err)
				}
			})
			c.check(t, sum, tl)
		})
	}
}

func TestClusterFaultErrors(t *testing.T) {
	cfg, err := Parse([]byte("hosts: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := BootCluster(cfg, ClusterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cases := []struct {
		name string
		err  error
	}{
		{"partition of no machine", c.PartitionAt(0, 3)},
		{"partition of machine 0", c.PartitionAt(0, 0)},
		{"heal before 0", c.HealAt(-1)},
		{"empty loss burst", c.LossBurstAt(0, 0)},
		{"link of no machine", c.LinkAt(5, 0, false)},
		{"inject on no machine", c.InjectAt(3, 0, "net", ipc.InjectCrash, 0)},
		{"inject of no kind", c.InjectAt(1, 0, "net", 0, 0)},
		{"inject before 0", c.InjectAt(1, -5, "net", ipc.InjectCrash, 0)},
	}
	for _, tc := range cases {
		if tc.err == nil {
			t.Errorf("%s: error = nil, want one", tc.name)
		}
	}
}

// A task of one machine that spins in Go code stops the whole run after
// the watchdog's limit: Run names it, and the run, abandoned, ends once
// the spin lets go.
func TestClusterWatchdog(t *testing.T) {
	cfg, err := Parse([]byte("hosts: 3\nwatchdog: 200ms\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := BootCluster(cfg, ClusterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var release atomic.Bool
	if _, err := c.Spawn(2, "spinner", func(sys ipc.Sys) {
		_ = sys.Sleep(1_000_000)
		for !release.Load() {
		}
	}); err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run()
	var stall *kernel.Stall
	if !errors.As(err, &stall) || sum != nil {
		t.Fatalf("Run() = %v, %v; want no summary and a *kernel.Stall", sum, err)
	}
	if stall.Name != "spinner" {
		t.Errorf("Stall.Name = %q, want spinner", stall.Name)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close() of an abandoned run = %v, want nil", err)
	}
	release.Store(true)
	if err := c.Wait(); err == nil {
		t.Errorf("Wait() = nil, want the halted machine's stall")
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close() after Wait = %v", err)
	}
}
