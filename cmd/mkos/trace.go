package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/tracefmt"
)

func newTraceCmd() *cobra.Command {
	var format, kinds, from string
	var limit, host int
	cmd := &cobra.Command{
		Use:   "trace FILE.jsonl",
		Short: "Render a trace written by run --trace",
		Long: `Read a trace written by --trace FILE (run, shell, sched, vm) and render it: as
a message sequence chart in plain text (--format msc, for lecture slides), or
as Chrome/Perfetto trace-event JSON (--format perfetto; open it in
ui.perfetto.dev): a process per virtual CPU with a track per task that ran
there, a process per service with a track per instance and a slice per
request served, flow arrows from each call to its reply, instants for
faults, deaths and restarts, and a run-queue counter per CPU.

A trace of several machines (run --hosts N --trace FILE) has each event's
machine in it; --host K shows machine K's alone (each machine's task and
service numbers are its own, so a chart or Perfetto view of all of them
mixes their names).

A trace cut short (a run killed while writing it) is read up to the
damage: mkos says which line is damaged and shows the events before it.`,
		Example: `  mkos run --crash-at 4 --trace t.jsonl
  mkos trace t.jsonl --kinds call,reply,fail,restart --limit 30
  mkos trace t.jsonl --format perfetto > t.json
  mkos run --hosts 2 -c 'ping -c 1 host2' --trace t.jsonl; mkos trace t.jsonl --host 2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			events, err := tracefmt.ReadJSONL(f)
			var damage *tracefmt.DamageError
			switch {
			case errors.As(err, &damage) && len(events) > 0:
				fmt.Fprintf(cmd.ErrOrStderr(), "mkos: %s: %v: showing the %d events before it\n", args[0], err, len(events))
			case err != nil:
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if cmd.Flags().Changed("host") {
				events = slices.DeleteFunc(events, func(e kernel.Event) bool { return e.Host != host })
			}
			switch format {
			case "perfetto":
				return tracefmt.WritePerfetto(cmd.OutOrStdout(), events)
			case "msc":
				var words []string
				if kinds != "" {
					words = append(words, "kinds="+kinds)
				}
				if from != "" {
					words = append(words, "from="+from)
				}
				opts, err := tracefmt.ParseOptions(append(words, fmt.Sprintf("limit=%d", limit)), 0)
				if err != nil {
					return fmt.Errorf("trace: %w", err)
				}
				tracefmt.NewChart().Write(cmd.OutOrStdout(), events, opts)
				return nil
			}
			return fmt.Errorf("--format: %q is not msc or perfetto", format)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "msc", "msc or perfetto")
	fl.StringVar(&kinds, "kinds", "", "comma-separated event kinds to show (msc): "+strings.Join(kindNames(), ","))
	fl.StringVar(&from, "from", "", "skip events before this virtual time, e.g. 2ms (msc)")
	fl.IntVar(&host, "host", 0, "show machine K's events alone, in a trace of several machines")
	fl.IntVar(&limit, "limit", 0, "show at most this many events, 0 for all (msc)")
	return cmd
}

// kindNames lists the event kinds' names.
func kindNames() []string {
	var out []string
	for name := range tracefmt.KindsByName() {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
