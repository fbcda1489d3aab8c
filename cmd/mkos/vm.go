package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/lab/paginglab"
	"github.com/mkos/mkos/servers/mm"
)

// vmFlags are `mkos vm`'s flags. paging-policy.py's flags are accepted
// too, with its short names and defaults (-a, -f, -n, -p, -b, -C, -m, -s,
// -N, -c), so that both tools can be run side by side.
type vmFlags struct {
	policy, refs, addresses, addressFile    string
	pageSize                                uint64
	frames, count, maxPage, clockBits       int
	seed                                    int64
	hand, trace                             string
	kernel, asJSON, ostep, noTrace, compute bool
	maxTime                                 time.Duration
}

func newVMCmd() *cobra.Command {
	var f vmFlags
	cmd := &cobra.Command{
		Use:   "vm",
		Short: "The paging lab: run a reference string through the MMU and mm",
		Long: `Run a page reference string through a real user task: each reference is a
Load of one page of the task, translated by the simulated MMU; a page that
is not resident faults to the memory manager (mm), which evicts a page with
the chosen policy when its frames are full. Prints, for every reference,
hit or miss, the victim and the frames' contents (in the policy's order),
then the totals and the hit rate.

The answers are those of OSTEP's paging-policy.py for the same inputs, ties
and random draws included; --ostep prints its transcript byte for byte, and
its flags work here (-a, -C, -s, -n, -m, -b, -N, -c). One difference: the
tool's long --addresses means page numbers, mkos's --addresses means byte
addresses, turned into pages with --page-size (use -a or --refs for pages).`,
		Example: `  mkos vm --policy lru --frames 3 --refs 0,1,2,0,1,3,0,3,1,2,1
  mkos vm -p CLOCK -s 3 -n 20 --ostep -c
  mkos vm --policy opt --frames 4 --addresses 0x1000,0x2010,0x1ff8 --page-size 4096 --json
  mkos vm translate --task-pages 0x400-0x402 0x400123 0x403000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runVM(cmd, &f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.policy, "policy", "p", "fifo", "replacement policy: "+strings.Join(mm.PolicyNames(), ", ")+" (any case)")
	fl.IntVar(&f.frames, "frames", 3, "page frames (mm's resident limit)")
	fl.IntVarP(&f.frames, "cachesize", "C", 3, "paging-policy.py's name for --frames")
	fl.StringVarP(&f.refs, "refs", "a", "-1", "comma-separated page numbers; -1 draws --count of them from --seed")
	fl.StringVar(&f.addresses, "addresses", "", "comma-separated byte addresses (decimal or 0x hex), paged by --page-size")
	fl.Uint64Var(&f.pageSize, "page-size", ipc.PageSize, "page size that turns --addresses into page numbers")
	fl.StringVarP(&f.addressFile, "addressfile", "f", "", "a file of page numbers, one a line")
	fl.Int64VarP(&f.seed, "seed", "s", 0, "seed of the random references (and of rand's and clock's draws)")
	fl.IntVarP(&f.count, "count", "n", 10, "how many random references")
	fl.IntVar(&f.count, "numaddrs", 10, "paging-policy.py's name for --count")
	fl.IntVarP(&f.maxPage, "maxpage", "m", 10, "random references are below this page number")
	fl.IntVarP(&f.clockBits, "clockbits", "b", 2, "clock: the largest reference count a page can hold")
	fl.StringVar(&f.hand, "clock-hand", "random", "clock: random (paging-policy.py's) or sweep (the textbook's circular hand)")
	fl.BoolVar(&f.kernel, "mm-in-kernel", false, "place mm in the kernel instead of its own task")
	fl.BoolVar(&f.asJSON, "json", false, "print one JSON object")
	fl.StringVar(&f.trace, "trace", "", traceHelp)
	fl.DurationVar(&f.maxTime, "max-time", 0, maxTimeLabHelp)
	fl.BoolVar(&f.ostep, "ostep", false, "print paging-policy.py's transcript (questions only, without -c)")
	fl.BoolVarP(&f.noTrace, "notrace", "N", false, "with --ostep: print only the final statistics")
	fl.BoolVarP(&f.compute, "compute", "c", false, "with --ostep: print the answers, not only the questions")
	_ = fl.MarkHidden("cachesize")
	_ = fl.MarkHidden("numaddrs")
	cmd.AddCommand(newVMTranslateCmd())
	return cmd
}

func runVM(cmd *cobra.Command, f *vmFlags) error {
	o, err := f.ostepOptions()
	if err != nil {
		return err
	}
	cfg, err := o.Config()
	if err != nil {
		return err
	}
	if f.addresses != "" {
		if cfg.Refs, err = pagesOf(f.addresses, f.pageSize); err != nil {
			return fmt.Errorf("--addresses: %w", err)
		}
	}
	switch f.hand {
	case "random", "sweep":
		cfg.ClockSweep = f.hand == "sweep"
	default:
		return fmt.Errorf("--clock-hand: %q is not random or sweep", f.hand)
	}
	cfg.InKernel, cfg.MaxTimeNs = f.kernel, int64(f.maxTime)
	out := cmd.OutOrStdout()
	if f.ostep && !f.compute {
		o.WriteArgs(out)
		o.WriteQuestions(out, cfg)
		return nil
	}
	trace, err := openTrace(f.trace)
	if err != nil {
		return err
	}
	defer trace.close()
	cfg.Trace = trace.tracer()
	res, err := paginglab.Run(cfg)
	if err != nil {
		return labError(err, f.maxTime)
	}
	if err := trace.close(); err != nil {
		return err
	}
	switch {
	case f.asJSON:
		return res.JSON(out)
	case f.ostep:
		res.WriteOSTEP(out, &o)
	default:
		res.Write(out)
	}
	return nil
}

// ostepOptions gathers the flags as paging-policy.py holds them.
func (f *vmFlags) ostepOptions() (paginglab.OSTEP, error) {
	o := paginglab.DefaultOSTEP()
	o.Addresses, o.AddressFile, o.Policy, o.ClockBits = f.refs, f.addressFile, f.policy, f.clockBits
	o.NumAddrs, o.CacheSize, o.MaxPage = fmt.Sprint(f.count), fmt.Sprint(f.frames), fmt.Sprint(f.maxPage)
	o.Seed, o.NoTrace, o.Compute = fmt.Sprint(f.seed), f.noTrace, f.compute
	if f.addresses != "" && (f.refs != "-1" || f.addressFile != "") {
		return o, fmt.Errorf("--addresses: give the references one way (--refs, --addresses or --addressfile)")
	}
	if f.pageSize == 0 {
		return o, fmt.Errorf("--page-size: must be positive")
	}
	return o, nil
}

// pagesOf turns byte addresses into page numbers.
func pagesOf(s string, pageSize uint64) ([]uint64, error) {
	addrs, err := paginglab.ParseRefs(s)
	if err != nil {
		return nil, err
	}
	for i := range addrs {
		addrs[i] /= pageSize
	}
	return addrs, nil
}

func newVMTranslateCmd() *cobra.Command {
	var pages string
	var write, asJSON bool
	var tracePath string
	cmd := &cobra.Command{
		Use:   "translate --task-pages PAGES VA...",
		Short: "Walk virtual addresses through a task's two-level page table",
		Long: `Boot a kernel with mm, run a task that maps and touches the virtual pages
given with --task-pages (page numbers, decimal or 0x hex, ranges like
0x400-0x403), and show how the MMU translates each VA through the task's
page table: the directory and table indexes, the entries and their flags,
and the physical address or the page fault. Then the frame table.`,
		Example: `  mkos vm translate --task-pages 0x400-0x402 0x400123 0x402fff 0x403000
  mkos vm translate --task-pages 1,0x80000 --write 0x1004 0x80000abc`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, err := paginglab.ParsePages(pages)
			if err != nil {
				return fmt.Errorf("--task-pages: %w", err)
			}
			var vas []uint64
			for _, a := range args {
				v, err := paginglab.ParsePages(a)
				if err != nil || len(v) != 1 {
					return fmt.Errorf("%q is not a virtual address", a)
				}
				vas = append(vas, v[0])
			}
			trace, err := openTrace(tracePath)
			if err != nil {
				return err
			}
			defer trace.close()
			w, err := paginglab.Translate(ps, vas, write, trace.tracer())
			if err != nil {
				return err
			}
			if err := trace.close(); err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(w)
			}
			w.Write(cmd.OutOrStdout())
			return nil
		},
	}
	cmd.Flags().StringVar(&pages, "task-pages", "", "virtual page numbers the task maps and touches")
	cmd.Flags().BoolVar(&write, "write", false, "touch the pages with a store (sets the dirty bit), not a load")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	cmd.Flags().StringVar(&tracePath, "trace", "", traceHelp)
	_ = cmd.MarkFlagRequired("task-pages")
	return cmd
}
