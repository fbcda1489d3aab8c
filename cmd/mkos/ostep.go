package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/lab/ostepcpu"
	"github.com/mkos/mkos/lab/ostepfs"
	"github.com/mkos/mkos/lab/ostepvm"
)

// ostepTool is one homework simulator of OSTEP behind `mkos ostep NAME`.
type ostepTool struct {
	name, chapter string
	checked       string // how its output was checked against the script's
	main          func(args []string, out, errw io.Writer) int
}

// ostepTools lists the simulators in the book's order. checked says what
// their byte-identity rests on and where the answer comes from: every one
// is "verified against the script" (compared in tests with saved runs of
// the real script, README examples and edge cases), and says "on the
// kernel" when the answer is computed by mkos's own mechanism (tasks and
// sched policies on the kernel, mm's replacement policies) rather than by
// the book's model in user space.
func ostepTools() []ostepTool {
	tools := []ostepTool{
		{"scheduler", "7 Scheduling: Introduction", verifiedOnKernel, cobraTool(newSchedCmd, nil)},
		{"mlfq", "8 Multi-level Feedback", verifiedOnKernel, cobraTool(newSchedMLFQCmd, nil)},
		{"lottery", "9 Lottery Scheduling", verifiedOnKernel, cobraTool(newSchedLotteryCmd, nil)},
	}
	for _, t := range slices.Concat(ostepcpu.Tools, ostepvm.Tools, ostepfs.Tools) {
		checked := verifiedModel
		if t.OnKernel != "" {
			checked = verifiedOnKernel + " " + t.OnKernel
		}
		tools = append(tools, ostepTool{t.Name, t.Chapter, checked, t.Main})
	}
	tools = append(tools, ostepTool{"paging-policy", "22 Beyond Physical Memory: Policies", verifiedOnKernel, cobraTool(newVMCmd, []string{"--ostep"})})
	slices.SortStableFunc(tools, func(a, b ostepTool) int { return chapterOf(a.chapter) - chapterOf(b.chapter) })
	return tools
}

// chapterOf is the number a chapter's title starts with.
func chapterOf(title string) int {
	n, _ := strconv.Atoi(strings.Fields(title)[0])
	return n
}

// The OUTPUT column of the listing.
const (
	verifiedOnKernel = "verified against the script; answers from the kernel"
	verifiedModel    = "verified against the script; the book's model"
)

// cobraTool runs an mkos command that already speaks a simulator's flags.
func cobraTool(mk func() *cobra.Command, extra []string) func([]string, io.Writer, io.Writer) int {
	return func(args []string, out, errw io.Writer) int {
		c := mk()
		c.SetArgs(append(append([]string{}, extra...), args...))
		c.SetOut(out)
		c.SetErr(errw)
		c.SilenceErrors, c.SilenceUsage = true, true
		if err := c.Execute(); err != nil {
			fmt.Fprintln(errw, "Error:", err)
			return 1
		}
		return 0
	}
}

const ostepLong = `Run one of OSTEP's homework simulators (ostep-homework, by Remzi and
Andrea Arpaci-Dusseau) with its own flags: "python3 relocation.py -s 1 -c" is
"mkos ostep relocation -s 1 -c". The output is meant to be the script's, byte
for byte, random draws included (Python's random is reproduced exactly).

"mkos ostep" alone lists the simulators, their chapters, and what each one's
output rests on: "verified against the script" means the tests compare it
with saved runs of the real script (its README examples and edge cases),
byte for byte, exit status included. "answers from the kernel" means the
answer is computed by mkos's own mechanism: scheduler, mlfq, lottery and
paging-policy are "mkos sched", "mkos sched mlfq", "mkos sched lottery" and
"mkos vm --ostep", which run the jobs and the page references on the real
kernel; process-run runs each of its processes as a kernel task and prints
their states as the kernel had them at every tick; paging-linear-translate
has the kernel's MMU walk the page table. "the book's model" is the
script's model reproduced in user space.

vsfs, ffs and lfs also take --mkos (mkos's flag, not the script's): after the
script's output, the same operations replayed on mkos's own file server, with
the inodes and blocks each allocated and freed there. raid's mapping is
internal/raid, the layer of the disk driver's RAID (disk.raid: in a boot file);
raid --mkos runs the same requests through that driver on simulated disks.`

func newOstepCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "ostep [NAME [FLAGS…]]",
		Short:              "OSTEP's homework simulators, same flags, same output",
		Long:               ostepLong,
		Example:            "  mkos ostep\n  mkos ostep relocation -s 1 -c\n  mkos ostep scheduler -p RR -l 100,200,300 -q 50 -c",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
				return listOstep(cmd.OutOrStdout())
			}
			for _, t := range ostepTools() {
				if t.name == args[0] {
					// Buffered, as Python's stdout is when it is not a
					// terminal: a trace of a million lines is a few writes.
					out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
					st := t.main(args[1:], out, cmd.ErrOrStderr())
					if err := out.Flush(); err != nil {
						return err
					}
					if st != 0 {
						return exitStatus(st)
					}
					return nil
				}
			}
			return fmt.Errorf("ostep: no simulator %q (mkos ostep lists them)", args[0])
		},
	}
}

// listOstep prints the simulators with their chapters.
func listOstep(w io.Writer) error {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCHAPTER\tOUTPUT")
	for _, t := range ostepTools() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.name, t.chapter, t.checked)
	}
	tw.Flush()
	fmt.Fprintf(&b, "\nRun one: mkos ostep NAME FLAGS… (the script's own flags; -h lists them).\n")
	_, err := w.Write(b.Bytes())
	return err
}
