package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "mkos",
		Short: "mkos: a microkernel operating-system simulator",
		Long: `mkos is a user-space microkernel operating-system simulator. A tiny kernel does
scheduling, clock ticks and message-passing IPC; servers run in their own tasks
(micro), linked into the kernel (mono), or mixed (hybrid), so the cost of
isolation can be measured and its benefit seen.

` + exitStatusHelp(),
		Version:           versionLine(),
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: checkFlags,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(newRunCmd())
	root.AddCommand(newShellCmd())
	root.AddCommand(newBenchCmd())
	root.AddCommand(newFaultsCmd())
	root.AddCommand(newTraceCmd())
	root.AddCommand(newSchedCmd())
	root.AddCommand(newVMCmd())
	root.AddCommand(newOstepCmd(), newLabCmd(), newLectureCmd())
	root.AddCommand(newTopCmd(), newWebCmd())
	root.AddCommand(newNodeCmd(), newNatsCmd())
	for _, c := range extraCommands {
		root.AddCommand(c())
	}
	root.AddCommand(newMkfsCmd(), newFsckCmd(), newCpCmd(), newMountCmd())
	root.AddCommand(newPcapstatCmd())
	root.AddCommand(newVersionCmd())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the mkos version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), versionLine())
		},
	}
}

// versionLine is what `mkos version` and `mkos --version` print.
func versionLine() string {
	return fmt.Sprintf("mkos %s (%s, %s/%s)", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// extraCommands are the commands of one build only (the js/wasm
// playground's, playground_js.go).
var extraCommands []func() *cobra.Command
