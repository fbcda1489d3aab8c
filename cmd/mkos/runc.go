package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	sysinit "github.com/mkos/mkos/user/init"
)

// runCommands is `mkos run -c 'CMDS'`: boot headless with the file server
// and a disk (--disk IMAGE, a disk: section, or 16 MiB in memory; a blank
// disk gets a new file system), pm and the stream services; init runs
// /etc/rc if the disk has one, then /bin/sh -c CMDS with the host's
// standard input, output and error (boot.Console); when the shell ends,
// init halts the system and syncs the disk. mkos exits with the shell's
// status.
func runCommands(cmd *cobra.Command, f *runFlags) error {
	cfg, err := f.configure(cmd)
	if err != nil {
		return err
	}
	if err := refuseNoOps(cmd, cfg, f.cmds); err != nil {
		return err
	}
	if len(cfg.Hosts) > 0 {
		return runHostsCommands(cmd, f, cfg)
	}
	if err := checkRunImage(cfg, true); err != nil {
		return err
	}
	cfg = withMaxTime(cmd, f, boot.UserSpace(fsConfig(cfg)))
	if err := cfg.Check(); err != nil {
		return err
	}
	trace, err := openTrace(f.trace)
	if err != nil {
		return err
	}
	defer trace.close()
	sys, err := boot.Boot(cfg, trace.tracer())
	if err != nil {
		return err
	}
	defer sys.Close()
	if err := injectHostFaults(sys, f.hostFaults); err != nil {
		return err
	}
	if err := formatIfBlank(sys, cfg.Disk.Image, cmd.ErrOrStderr()); err != nil {
		return err
	}
	con := &boot.Console{In: cmd.InOrStdin(), Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
	if cfg.Console != nil {
		con = nil // --console, --console-input: the shell runs on the tty (init opens /dev/tty)
	}
	run, err := sys.StartInit(sysinit.Options{Shell: "/bin/sh", Argv: []string{"sh", "-c", f.cmds}}, con)
	if err != nil {
		return err
	}
	sum, err := sys.Run()
	if err != nil {
		return halted(cmd, err)
	}
	if err := sys.Close(); err != nil {
		return fmt.Errorf("disk image: %w", err)
	}
	if err := trace.close(); err != nil {
		return err
	}
	if f.json {
		if err := sum.JSON(cmd.OutOrStdout()); err != nil {
			return err
		}
	}
	return shellOutcome(sys, run.Status)
}

// withMaxTime gives a user-space configuration (which has no time limit)
// the one --max-time sets.
func withMaxTime(cmd *cobra.Command, f *runFlags, cfg boot.Config) boot.Config {
	if cmd.Flags().Changed("max-time") {
		cfg.MaxTime = boot.Duration(f.maxTime)
	}
	return cfg
}

// exitStatus is the status of the shell `mkos run -c` ran, when not 0:
// mkos exits with it and prints nothing more (the shell said what went
// wrong). -1: init never finished.
type exitStatus int

func (e exitStatus) Error() string {
	if e < 0 {
		return "the shell did not finish"
	}
	return fmt.Sprintf("the shell exited with status %d", int(e))
}
