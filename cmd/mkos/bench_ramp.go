package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/bench"
)

// runRamp runs `mkos bench --workload ramp`: the ramp with the autoscaler
// on, off or both, printed as tables (or JSON), and with --report a
// directory with ramp.md, its charts and ramp.json.
func runRamp(cmd *cobra.Command, f benchFlags) error {
	var runs []bool
	for _, v := range splitList(f.autoscale) {
		switch v {
		case "on":
			runs = append(runs, true)
		case "off":
			runs = append(runs, false)
		default:
			return fmt.Errorf("--autoscale: %q is not on or off", v)
		}
	}
	if len(runs) == 0 {
		return fmt.Errorf("--autoscale: say on, off or on,off")
	}
	var reps []*bench.RampReport
	for _, on := range runs {
		r, err := bench.RunRamp(bench.RampOptions{Autoscale: on})
		if err != nil {
			return err
		}
		reps = append(reps, r)
	}
	out := cmd.OutOrStdout()
	if f.report != "" {
		if err := bench.WriteRampDir(f.report, "mkos "+strings.Join(os.Args[1:], " "), reps); err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "mkos: report written to %s/ramp.md\n", f.report)
	}
	if f.asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(reps)
	}
	bench.WriteRamp(out, reps)
	return nil
}
