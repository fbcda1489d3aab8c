package boottest

import (
	"strings"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// Config is the system Mono boots in mode: the servers programs need
// (boot.UserSpace), the file server on a small formatted disk, the data
// store, a swap device, and a console that types a line.
func Config(mode boot.Mode) boot.Config {
	cfg := boot.UserSpace(boot.Default())
	cfg.Mode = mode
	cfg.MaxTime = boot.Duration(60 * time.Second)
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name}, boot.ServerConf{Name: dsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 2 << 20, Kind: "ssd"}
	cfg.Swap = &boot.DiskConf{Size: 1 << 20, Kind: "ssd"}
	cfg.Console = &boot.ConsoleConf{Input: "typed\n"}
	return cfg
}

// Mono boots Config(boot.Mono), places the host console as
// boot.ConsoleService, runs body in a task, and returns what went wrong:
// a kernel panic (the run's error) or a task that died of a Go panic.
func Mono(body func(sys ipc.Sys)) error {
	return Run(Config(boot.Mono), body)
}

// Run boots cfg with a formatted disk and the host console placed as
// boot.ConsoleService, runs body in a task, and returns what went wrong,
// as Mono does.
func Run(cfg boot.Config, body func(sys ipc.Sys)) error {
	deaths := &kerneltest.Panics{}
	sys, err := boot.Boot(cfg, deaths)
	if err != nil {
		return err
	}
	defer sys.Close()
	if err := sys.FormatDisk(); err != nil {
		return err
	}
	con := &boot.Console{In: strings.NewReader("input\n")}
	if _, err := sys.Kernel.Place(boot.ConsoleService, con); err != nil {
		return err
	}
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "hostile", Body: body}); err != nil {
		return err
	}
	if err := sys.Kernel.Run(); err != nil {
		return err
	}
	return deaths.Err()
}
