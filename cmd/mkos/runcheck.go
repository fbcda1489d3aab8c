package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
)

// No silent no-ops: a flag of `mkos run` that the chosen run would ignore
// is refused, saying why, before anything boots.

// demoOnly are the flags that shape the demo workload, which -c and the
// pathfinder replace.
var demoOnly = []string{"clients", "calls", "crash-at"}

// refuseNoOps checks the flags set against what the run will do: the
// demo workload (cmds == "") or shell commands.
func refuseNoOps(cmd *cobra.Command, cfg boot.Config, cmds string) error {
	set := cmd.Flags().Changed
	pathfinder := cfg.Workload.Kind == boot.WorkloadPathfinder
	if set("no-pi") && (cmds != "" || !pathfinder) {
		return fmt.Errorf("--no-pi lets priority inversion happen, and only tasks of different priorities sharing a server show it: use it with --workload pathfinder (the demo's and the shell's tasks all have one priority)")
	}
	if pathfinder {
		for _, name := range demoOnly {
			if set(name) {
				return fmt.Errorf("--%s shapes the demo workload, not the pathfinder", name)
			}
		}
	}
	if cmds != "" {
		for _, name := range append(demoOnly, "workload") {
			if set(name) {
				return fmt.Errorf("--%s shapes the workload, and -c runs shell commands instead of it: leave out one of them", name)
			}
		}
	} else {
		for _, name := range []string{"console", "console-input"} {
			if set(name) {
				return fmt.Errorf("--%s gives the system a console, and the demo workload never reads it: use it with -c (the shell then runs on the console)", name)
			}
		}
		if set("user") {
			return fmt.Errorf("--user says who the shell runs as: use it with -c")
		}
	}
	if set("data-dir") && !hasServer(cfg, "ds") {
		return fmt.Errorf("--data-dir keeps the data store's data, and this system has no ds server: add {name: ds} to the configuration's servers:")
	}
	if set("ds-redis") && !hasServer(cfg, "ds") {
		return fmt.Errorf("--ds-redis keeps the data store's data, and this system has no ds server: add {name: ds} to the configuration's servers:")
	}
	return nil
}

// hasServer reports whether cfg's server table lists name.
func hasServer(cfg boot.Config, name string) bool {
	return slices.ContainsFunc(cfg.Servers, func(s boot.ServerConf) bool { return s.Name == name })
}
