package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/user/fscmd"
)

// runCommands is `mkos run -c 'CMDS'`: boot headless with the file server
// and a disk (--disk IMAGE, a disk: section, or 16 MiB in memory; a blank
// disk gets a new file system), run the commands as a user program
// (user/fscmd), sync, and fail when a command failed.
func runCommands(cmd *cobra.Command, f *runFlags) error {
	cfg, err := f.configure(cmd)
	if err != nil {
		return err
	}
	cfg = fsConfig(cfg)
	if err := cfg.Check(); err != nil {
		return err
	}
	failed := 0
	var setupErr error
	err = runHeadless(cfg, true, cmd.ErrOrStderr(), func(sys ipc.Sys) {
		r, err := fscmd.New(sys, cmd.OutOrStdout(), cmd.ErrOrStderr())
		if err != nil {
			setupErr = err
			return
		}
		failed = r.Run(f.cmds)
		if err := r.C.Sync(); err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "sync: %v\n", err)
			failed++
		}
		r.C.Release()
	})
	if err = errors.Join(err, setupErr); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d command(s) failed", failed)
	}
	return nil
}
