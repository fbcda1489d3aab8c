package boot

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
)

// Faults of the network at virtual times, for fault campaigns (faults/)
// and tests: a partition and its healing, a loss burst, a link pulled,
// and a fault injected into a machine's server (the net server, the NIC
// driver) as `crash` would. Call them after BootCluster and before Run.
//
// A change of the wire (the switch, a card) is scheduled on every
// machine's kernel at the time and made by the first to reach it: it is
// in force for every frame sent from then on by that machine, and for
// the others' from their own clocks, which in a group are less than one
// lookahead (the link latency) apart. Like everything else in a
// cluster's run it is the same for the same seed.

// PartitionAt cuts machines hosts (from 1) off from the others at
// virtual time atNs: frames between the two sides are lost, frames
// within a side pass, until HealAt. It replaces an earlier partition.
func (c *Cluster) PartitionAt(atNs int64, hosts ...int) error {
	ports := make([]int, len(hosts))
	for i, k := range hosts {
		if c.Host(k) == nil {
			return fmt.Errorf("partition: no machine %d (there are %d)", k, len(c.Hosts))
		}
		ports[i] = c.NICs[k-1].Port()
	}
	return c.atWire(atNs, func() {
		_ = c.Switch.SetPartition(ports...) // the ports were checked
	})
}

// HealAt ends the partition at virtual time atNs.
func (c *Cluster) HealAt(atNs int64) error {
	return c.atWire(atNs, c.Switch.Heal)
}

// LossBurstAt loses every frame that enters the switch from virtual time
// atNs for durNs.
func (c *Cluster) LossBurstAt(atNs, durNs int64) error {
	if durNs <= 0 {
		return fmt.Errorf("loss burst: duration %d ns must be positive", durNs)
	}
	return c.atWire(atNs, func() { c.Switch.DropUntil(atNs + durNs) })
}

// LinkAt brings machine k's link up or down at virtual time atNs (a
// cable pulled or plugged back).
func (c *Cluster) LinkAt(k int, atNs int64, up bool) error {
	if c.Host(k) == nil {
		return fmt.Errorf("link: no machine %d (there are %d)", k, len(c.Hosts))
	}
	card := c.NICs[k-1]
	return c.atWire(atNs, func() { card.SetLink(up) })
}

// atWire makes change at virtual time atNs, once, from the first kernel
// to reach it.
func (c *Cluster) atWire(atNs int64, change func()) error {
	if atNs < 0 {
		return fmt.Errorf("network fault at %d ns: the time must not be negative", atNs)
	}
	done := false
	for _, s := range c.Hosts {
		s.Kernel.Schedule(atNs, func(int64) {
			if !done {
				done = true
				change()
			}
		})
	}
	return nil
}

// InjectAt arms fault kind (param: InjectSlow's delay) on service svc of
// machine k at virtual time atNs: it hits the next request one of the
// service's instances receives from then on, as `crash SVC KIND` would
// (a crash of the net server resets its connections; of the NIC driver,
// loses the frames in its queues; rs restarts either). A task of
// machine k's sleeps until atNs and arms it.
func (c *Cluster) InjectAt(k int, atNs int64, svc string, kind ipc.Injection, param int64) error {
	s := c.Host(k)
	switch {
	case s == nil:
		return fmt.Errorf("inject: no machine %d (there are %d)", k, len(c.Hosts))
	case kind < ipc.InjectCrash || kind > ipc.InjectSlow:
		return fmt.Errorf("inject: %d is not a fault kind", kind)
	case atNs < 0:
		return fmt.Errorf("inject at %d ns: the time must not be negative", atNs)
	}
	name := fmt.Sprintf("inject-%s-%s", svc, kind)
	_, err := s.Kernel.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
		if d := atNs - sys.Now(); d > 0 {
			_ = sys.Sleep(d)
		}
		_ = sys.Inject(svc, kind, param) // a service that is not there: nothing to hit
	}})
	return err
}
