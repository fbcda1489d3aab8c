package boot

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
)

// PrivConf is a server's privileges entry in the boot configuration
// (`privileges:` under the server), MINIX 3's system.conf: what the kernel
// lets the server's tasks do. An absent key takes the server's line of
// DefaultPrivileges; a server always may register its own name.
type PrivConf struct {
	// Calls are the privileged kernel calls it may make, by name
	// (ipc.KCallNames: spawn, kill, supervise, inject, vm, device,
	// notify, setcred, exits, update).
	Calls []string `yaml:"calls"`
	// Services are the services it may call ("*": all).
	Services []string `yaml:"services"`
	// Callers, when set, are the only privilege records (a server's name,
	// or "user" for programs) whose tasks may call it.
	Callers []string `yaml:"callers"`
}

// DefaultPrivileges is the privilege table: each server's calls, and the
// callers of the ones that admit only some. A server not listed may make
// no privileged call and call every service. Drivers also get the
// devices attached to their service, and nothing else. LECTURE: privileges
var DefaultPrivileges = map[string]PrivConf{
	"pm":        {Calls: []string{"spawn", "kill", "notify", "setcred", "exits"}},
	"fs":        {Calls: []string{"exits"}},
	"mm":        {Calls: []string{"vm", "exits"}},
	"pipe":      {Calls: []string{"exits", "notify"}}, // notify: wakes pollers (streamproto.PollBit)
	"net":       {Calls: []string{"exits", "notify"}},
	"ds":        {Calls: []string{"notify", "exits"}},
	"disk":      {Calls: []string{"device"}, Callers: []string{"fs"}},
	"swap":      {Calls: []string{"device"}, Callers: []string{"mm"}},
	"tty":       {Calls: []string{"device", "notify"}},
	"nic":       {Calls: []string{"device", "notify"}, Services: []string{"net"}, Callers: []string{"net"}},
	"memdev":    {},
	"echo":      {},
	"worker":    {},
	"autoscale": {Services: []string{"rs"}},
	"echo2":     {},
	"null":      {},
	"gateway":   {Calls: []string{"remote", "update"}},

	"echo-faulty": {}, // echo that refuses its state: a live update's rollback
}

// rsPriv is the reincarnation server's record: it starts every server,
// so it holds every privilege it hands out (MINIX's RS is as trusted).
func rsPriv() ipc.Priv {
	p := ipc.KernelPriv()
	p.Name = "rs"
	return p
}

// FaultsPriv is the record of a fault-injection controller task: it may
// arm faults, and nothing else privileged.
func FaultsPriv() ipc.Priv {
	p := ipc.UserPriv()
	p.Name, p.Calls = "faults", ipc.KInject
	return p
}

// privConf returns server sc's entry: the configuration's keys over the
// table's line.
func (sc ServerConf) privConf() PrivConf {
	pc := DefaultPrivileges[sc.Name]
	if sc.Privileges == nil {
		return pc
	}
	o := *sc.Privileges
	if o.Calls != nil {
		pc.Calls = o.Calls
	}
	if o.Services != nil {
		pc.Services = o.Services
	}
	if o.Callers != nil {
		pc.Callers = o.Callers
	}
	return pc
}

// priv builds server sc's privilege record; devices are the devices
// attached to its service.
func (sc ServerConf) priv(devices []string) (ipc.Priv, error) {
	pc := sc.privConf()
	p := ipc.Priv{Name: sc.Name, Register: []string{sc.Name}, Services: pc.Services, Devices: slices.Clone(devices)}
	if p.Services == nil {
		p.Services = []string{ipc.AnyName}
	}
	for _, n := range pc.Calls {
		c, ok := ipc.ParseKCall(n)
		if !ok {
			return ipc.Priv{}, fmt.Errorf("privileges.calls: %q is not one of %v", n, ipc.KCallNames())
		}
		p.Calls |= c
	}
	return p, nil
}

// checkPrivileges checks every server's privileges entry.
func (c *Config) checkPrivileges() error {
	for i, sc := range c.Servers {
		if _, err := sc.priv(nil); err != nil {
			return fmt.Errorf("servers[%d].%w", i, err)
		}
	}
	return nil
}

// restrictCallers applies the table's callers to every placed server, in
// the kernel or not: a request to it from anyone else is EPERM.
func (s *System) restrictCallers(order []ServerConf) error {
	for _, sc := range order {
		if callers := sc.privConf().Callers; callers != nil {
			if err := s.Kernel.Restrict(sc.Name, callers); err != nil {
				return err
			}
		}
	}
	return nil
}
