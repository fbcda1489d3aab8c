package boot

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/drivers/nic"
	nichw "github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel"
)

// NICConf is the nic: section: a network card on this machine, and its
// driver, the "nic" server (placed like any other; it need not be listed
// in Servers). Zero fields take the card's defaults. Several machines on
// one switch are wired by the hosts: boot; alone, the card is attached to
// nothing, or, with Loopback, to a one-port switch that sends its frames
// back.
type NICConf struct {
	// MAC is the card's address, six hex pairs (02:6d:6b:00:00:00).
	MAC string `yaml:"mac"`
	// MTU is the largest payload of a frame (1500).
	MTU int `yaml:"mtu"`
	// Speed is the link speed in bits per second (1000000000).
	Speed int64 `yaml:"speed"`
	// RxRing is the number of frames the card's receive ring holds (256).
	RxRing int `yaml:"rx_ring"`
	// Loopback plugs the card into a one-port switch in hairpin mode: the
	// frames it sends to its own address, and its broadcasts, come back.
	Loopback bool `yaml:"loopback"`
}

// options returns the card's options, or an error naming the key.
func (nc *NICConf) options() (nichw.Options, error) {
	o := nichw.Options{MTU: nc.MTU, SpeedBps: nc.Speed, RxRing: nc.RxRing}
	if nc.MAC != "" {
		m, err := nichw.ParseMAC(nc.MAC)
		if err != nil {
			return o, fmt.Errorf("nic.mac: %w", err)
		}
		o.MAC = m
	}
	if _, err := nichw.New(o); err != nil {
		return o, fmt.Errorf("nic: %w", err)
	}
	return o, nil
}

// checkNIC checks the nic: section, and that the NIC driver is placed
// only with a card to drive.
func (c *Config) checkNIC() error {
	for i, s := range c.Servers {
		switch {
		case s.Name != nicproto.Name:
		case c.NIC == nil:
			return fmt.Errorf("servers[%d].name: %q needs a nic: section, the card it drives", i, s.Name)
		case s.Instances > 1:
			return fmt.Errorf("servers[%d].instances: %d NIC drivers would share one card; the nic takes 1", i, s.Instances)
		}
	}
	if c.NIC == nil {
		return nil
	}
	_, err := c.NIC.options()
	return err
}

// withNIC returns servers with the NIC driver added when there is a card
// and the list does not place it.
func (c *Config) withNIC(servers []ServerConf) []ServerConf {
	listed := slices.ContainsFunc(servers, func(s ServerConf) bool { return s.Name == nicproto.Name })
	if c.NIC == nil || listed {
		return servers
	}
	return append(slices.Clip(servers), ServerConf{Name: nicproto.Name})
}

// newNICDriver is the NIC driver of the machine's card.
func newNICDriver(*Config) ipc.Server { return nic.New(nic.Options{}) }

// attachNIC makes the configured card, attaches it to the nic service and,
// with Loopback, plugs it into a one-port hairpin switch.
func (s *System) attachNIC() error {
	nc := s.Config.NIC
	if nc == nil {
		return nil
	}
	o, err := nc.options()
	if err != nil {
		return err
	}
	card, err := nichw.New(o)
	if err != nil {
		return err
	}
	if err := AttachNIC(s.Kernel, card); err != nil {
		return err
	}
	s.NIC = card
	if !nc.Loopback {
		return nil
	}
	sw, err := nichw.NewSwitch(nichw.Single(s.Kernel), nichw.SwitchOptions{Hairpin: true, Seed: s.Config.Seed})
	if err != nil {
		return err
	}
	_, err = sw.Attach(0, card)
	return err
}

// AttachNIC attaches card to kernel k as the device of the nic service: its
// completions and its receive interrupt (the card's OnReceive) reach the
// driver wherever it is placed, and whichever instance is alive. The
// multi-machine boot calls it for each machine's card before plugging the
// cards into one switch.
func AttachNIC(k *kernel.Kernel, card *nichw.NIC) error {
	id, err := k.Attach(card, nicproto.Name, nic.IRQ)
	if err != nil {
		return err
	}
	card.OnReceive = func(now int64) { k.Interrupt(id, now) }
	return nil
}
