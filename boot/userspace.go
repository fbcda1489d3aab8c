package boot

import (
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/servers/pm"
	sysinit "github.com/mkos/mkos/user/init"
)

// User space: the process manager, the stream services, and init.

// UserServers are the servers programs need, added by UserSpace when the
// server table has them: pm spawns programs, pipe makes the shell's
// pipelines, memdev serves /dev/null, /dev/zero and /dev/random.
var UserServers = []string{pmproto.Name, "mm", "pipe", "memdev"}

// UserSpace returns cfg ready to run programs: the UserServers added, no
// demo workload, no time limit. The file server and its disk are the
// caller's to add (cmd/mkos's fsConfig).
func UserSpace(cfg Config) Config {
	cfg.Workload = WorkloadConf{}
	cfg.MaxTime = 0
	for _, name := range UserServers {
		_, known := Servers[name]
		listed := slices.ContainsFunc(cfg.Servers, func(s ServerConf) bool { return s.Name == name })
		if known && !listed {
			cfg.Servers = append(slices.Clip(cfg.Servers), ServerConf{Name: name})
		}
	}
	return cfg
}

// InitRun is an init StartInit started.
type InitRun struct {
	// Status is init's exit status — the shell's — once it has exited;
	// -1 before.
	Status int
}

// StartInit starts init as pid 1 (adopted by pm) with options o. With a
// console, it is placed in the kernel as the "console" service and init
// opens its streams as descriptors 0, 1 and 2. The shell runs as o.User,
// else as the configuration's user:. Run the system afterwards.
func (s *System) StartInit(o sysinit.Options, console *Console) (*InitRun, error) {
	if o.User == "" {
		o.User = s.Config.User
	}
	if console != nil {
		console.In, console.Out, console.Err = s.hostIn(console.In), s.hostOut(console.Out), s.hostOut(console.Err)
		if _, err := s.Kernel.Place(ConsoleService, console); err != nil {
			return nil, err
		}
		if o.Console == "" {
			o.Console, o.Stdio = ConsoleService, [3]string{"stdin", "stdout", "stderr"}
		}
	}
	run := &InitRun{Status: -1}
	prog := sysinit.Program(o)
	body := func(sys ipc.Sys, argv, env []string) int {
		run.Status = prog(sys, argv, env)
		if s.onInitExit != nil {
			s.onInitExit()
		}
		return run.Status
	}
	if _, err := s.Kernel.Spawn(pm.Adopt("init", body, []string{"init"}, nil)); err != nil {
		return nil, err
	}
	return run, nil
}
