package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/bench"
	"github.com/mkos/mkos/boot"
)

func newBenchCmd() *cobra.Command {
	var workload, modes string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure a workload in each placement mode",
		Long: `Run a workload in each mode and print host nanoseconds and allocations per
operation, virtual nanoseconds per operation under the l4 cost profile, and
the host's reference costs measured in the same run: a coroutine round trip,
a channel ping-pong and a direct interface call.`,
		Example: `  mkos bench
  mkos bench --workload null --modes micro,mono,hybrid --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ms, err := parseModes(modes)
			if err != nil {
				return err
			}
			rep, err := bench.Run(workload, ms)
			if err != nil {
				return err
			}
			if asJSON {
				return rep.JSON(cmd.OutOrStdout())
			}
			rep.Write(cmd.OutOrStdout())
			return nil
		},
	}
	cmd.Flags().StringVar(&workload, "workload", "null", "workload: "+strings.Join(bench.WorkloadNames(), ", "))
	cmd.Flags().StringVar(&modes, "modes", "micro,mono,hybrid", "comma-separated modes")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// parseModes splits and checks a comma-separated mode list.
func parseModes(s string) ([]boot.Mode, error) {
	var out []boot.Mode
	for _, m := range strings.Split(s, ",") {
		mode := boot.Mode(strings.TrimSpace(m))
		switch mode {
		case boot.Micro, boot.Mono, boot.Hybrid:
			out = append(out, mode)
		default:
			return nil, fmt.Errorf("--modes: %q is not one of micro, mono, hybrid", m)
		}
	}
	return out, nil
}
