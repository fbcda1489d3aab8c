package ostepcpu

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// forkParser is fork.py's command line.
var forkParser = &optparse.Parser{Prog: "fork.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "-1", Help: "the random seed"},
	{Short: "-f", Long: "--forks", Dest: "fork_percentage", Kind: optparse.Float, Default: "0.7", Help: "percent of actions that are forks (not exits)"},
	{Short: "-A", Long: "--action_list", Dest: "action_list", Default: "", Help: "action list, instead of randomly generated ones (format: a+b,b+c,b- means a fork b, b fork c, b exit)"},
	{Short: "-a", Long: "--actions", Dest: "actions", Kind: optparse.IntKind, Default: "5", Help: "number of forks/exits to do"},
	{Short: "-t", Long: "--show_tree", Dest: "show_tree", Kind: optparse.True, Default: "False", Help: "show tree (not actions)"},
	{Short: "-P", Long: "--print_style", Dest: "print_style", Default: "fancy", Help: "tree print style (basic, line1, line2, fancy)"},
	{Short: "-F", Long: "--final_only", Dest: "just_final", Kind: optparse.True, Default: "False", Help: "just show final state"},
	{Short: "-L", Long: "--leaf_only", Dest: "leaf_only", Kind: optparse.True, Default: "False", Help: "only leaf processes exit"},
	{Short: "-R", Long: "--local_reparent", Dest: "local_reparent", Kind: optparse.True, Default: "False", Help: "reparent to local parent"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
}}

// forkRoot is the first process's name.
const forkRoot = "a"

// forkNames are the letters of process names, in fork.py's order.
const forkNames = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// forker is fork.py's process tree: who lives, each one's children in
// order, each one's parent.
type forker struct {
	out                         io.Writer
	style                       string
	leafOnly, localReparent     bool
	procs                       []string
	children                    map[string][]string
	parent                      map[string]string
	nameLen, nameIdx, nameCount int
}

func newForker(out io.Writer, style string) *forker {
	return &forker{out: out, style: style, procs: []string{forkRoot}, children: map[string][]string{forkRoot: {}},
		parent: map[string]string{}, nameLen: 1, nameIdx: 1, nameCount: len(forkNames)}
}

// name is the next name: a to Z, then aa to ZZ, then aaa…
func (f *forker) name() string {
	if f.nameIdx == f.nameCount {
		f.nameLen++
		f.nameCount *= len(forkNames)
		f.nameIdx = 0
	}
	b := make([]byte, f.nameLen)
	for i, n := f.nameLen-1, f.nameIdx; i >= 0; i-- {
		b[i] = forkNames[n%len(forkNames)]
		n /= len(forkNames)
	}
	f.nameIdx++
	return string(b)
}

// errStyle ends the run on an unknown -P, as the script does.
type errStyle string

// printTree prints the tree from the root in the chosen style.
func (f *forker) printTree() error { return f.walk(forkRoot, 0, map[int]bool{}, false) }

// walk is the script's walk; pmask is shared by the whole walk, as there.
func (f *forker) walk(p string, level int, pmask map[int]bool, last bool) error {
	fmt.Fprint(f.out, strings.Repeat(" ", 31))
	var chars [4]string
	switch f.style {
	case "basic":
		fmt.Fprintf(f.out, "%s%2s\n", strings.Repeat("   ", level), p)
		for _, c := range f.children[p] {
			if err := f.walk(c, level+1, map[int]bool{}, false); err != nil {
				return err
			}
		}
		return nil
	case "line1":
		chars = [4]string{"|", "-", "+", "|"}
	case "line2":
		chars = [4]string{"|", "_", "|", "|"}
	case "fancy":
		chars = [4]string{"\u2502", "\u2500", "\u251c", "\u2514"}
	default:
		return errStyle(f.style)
	}
	if level > 0 {
		for i := range level - 1 {
			if pmask[i] {
				fmt.Fprintf(f.out, "%s   ", chars[0])
			} else {
				fmt.Fprint(f.out, "    ")
			}
		}
		switch {
		case pmask[level-1] && last:
			fmt.Fprintf(f.out, "%s%s%s ", chars[3], chars[1], chars[1])
		case pmask[level-1]:
			fmt.Fprintf(f.out, "%s%s%s ", chars[2], chars[1], chars[1])
		default:
			fmt.Fprintf(f.out, " %s%s%s ", chars[1], chars[1], chars[1])
		}
	}
	fmt.Fprintln(f.out, p)
	if last {
		pmask[level-1] = false
	}
	pmask[level] = true
	kids := f.children[p]
	for i, c := range kids {
		if err := f.walk(c, level+1, pmask, i == len(kids)-1); err != nil {
			return err
		}
	}
	return nil
}

// fork makes c a child of p.
func (f *forker) fork(p, c string) string {
	f.procs = append(f.procs, c)
	f.children[c] = []string{}
	f.children[p] = append(f.children[p], c)
	f.parent[c] = p
	return p + " forks " + c
}

// remove drops the first s from list, as Python's list.remove.
func remove(list []string, s string) []string {
	if i := slices.Index(list, s); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// exit ends p; its orphans go to p's parent (-R) or, all its descendants,
// to the root.
func (f *forker) exit(p string) string {
	up := f.parent[p]
	f.procs = remove(f.procs, p)
	if f.localReparent {
		for _, o := range f.children[p] {
			f.parent[o] = up
			f.children[up] = append(f.children[up], o)
		}
	} else {
		for _, d := range f.descendants(p)[1:] {
			f.children[d] = []string{}
			f.parent[d] = forkRoot
			f.children[forkRoot] = append(f.children[forkRoot], d)
		}
	}
	f.children[up] = remove(f.children[up], p)
	delete(f.children, p)
	delete(f.parent, p)
	return p + " EXITS"
}

// descendants is p and everything under it, in preorder.
func (f *forker) descendants(p string) []string {
	l := []string{p}
	for _, c := range f.children[p] {
		l = append(l, f.descendants(c)...)
	}
	return l
}

// randomActions draws -a actions as the script does: a fork by a random
// process with chance -f, else the exit of a random one (the root never).
func (f *forker) randomActions(r *pyrand.Rand, forkPct float64, n int64) []string {
	choice := func(l []string) string { return l[int(r.Random()*float64(len(l)))] }
	var actions []string
	live := []string{forkRoot}
	for done := int64(0); done < n; {
		if r.Random() < forkPct {
			p, c := choice(live), f.name()
			actions = append(actions, p+"+"+c)
			live = append(live, c)
		} else {
			p := choice(live)
			if p == forkRoot {
				continue
			}
			live = remove(live, p)
			actions = append(actions, p+"-")
		}
		done++
	}
	return actions
}

// Fork is cpu-api/fork.py: a process tree grown by forks and cut by exits;
// guess the actions from the trees (-t) or the trees from the actions.
// Without -s the script is unseeded and prints something new each run;
// mkos then draws from seed 0, to stay repeatable.
func Fork(args []string, out, errw io.Writer) int {
	v, status, done := osteptool.Parse(forkParser, args, out, errw)
	if done {
		return status
	}
	seed, drawFrom := v.Int("seed"), v.Int("seed")
	if seed == -1 {
		drawFrom = 0 // the script's unseeded run; see above
	}
	r := pyrand.New(drawFrom)
	if v.Float("fork_percentage") <= 0.001 {
		fmt.Fprintln(out, "fork_percentage must be > 0.001")
		return 1
	}
	b := osteptool.PyBool
	fmt.Fprintf(out, "\nARG seed %d\nARG fork_percentage %s\nARG actions %d\nARG action_list %s\n", seed, osteptool.PyFloat(v.Float("fork_percentage")), v.Int("actions"), v.Str("action_list"))
	fmt.Fprintf(out, "ARG show_tree %s\nARG just_final %s\nARG leaf_only %s\nARG local_reparent %s\nARG print_style %s\nARG solve %s\n\n",
		b(v.Bool("show_tree")), b(v.Bool("just_final")), b(v.Bool("leaf_only")), b(v.Bool("local_reparent")), v.Str("print_style"), b(v.Bool("solve")))
	f := newForker(out, v.Str("print_style"))
	f.leafOnly, f.localReparent = v.Bool("leaf_only"), v.Bool("local_reparent")
	run := forkRun{f: f, showTree: v.Bool("show_tree"), final: v.Bool("just_final"), solve: v.Bool("solve")}
	var actions []string
	if v.Str("action_list") != "" {
		actions = strings.Split(v.Str("action_list"), ",")
	}
	err := run.run(func() []string {
		if v.Str("action_list") != "" {
			return actions
		}
		return f.randomActions(r, v.Float("fork_percentage"), v.Int("actions"))
	})
	switch e := err.(type) {
	case nil:
		return 0
	case errStyle:
		fmt.Fprintf(out, "bad style %s\n", string(e))
	case forkStop:
		fmt.Fprintln(out, string(e))
	default:
		return osteptool.Traceback(errw, "fork.py", err)
	}
	return 1
}

// forkStop is a message the script prints before exit(1).
type forkStop string

func (e forkStop) Error() string { return string(e) }
func (e errStyle) Error() string { return "bad style " + string(e) }

// forkRun is one run's output choices.
type forkRun struct {
	f                      *forker
	showTree, final, solve bool
}

// run prints the first tree, takes the actions (drawn after the first
// tree is printed, as the script draws them) and prints what -t, -F and
// -c ask for.
func (r *forkRun) run(actions func() []string) error {
	f := r.f
	fmt.Fprintln(f.out, "                           Process Tree:")
	if err := f.printTree(); err != nil {
		return err
	}
	fmt.Fprintln(f.out)
	for _, a := range actions() {
		action, err := r.act(a)
		if err != nil {
			return err
		}
		switch {
		case r.showTree && r.solve:
			fmt.Fprintln(f.out, "Action:", action)
		case r.showTree:
			fmt.Fprintln(f.out, "Action?")
		default:
			fmt.Fprintln(f.out, "Action:", action)
		}
		if !r.final {
			if r.showTree || r.solve {
				if err := f.printTree(); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(f.out, "Process Tree?")
			}
		}
	}
	if r.final {
		if r.showTree || r.solve {
			fmt.Fprintln(f.out, "\n                        Final Process Tree:")
			if err := f.printTree(); err != nil {
				return err
			}
			fmt.Fprintln(f.out)
		} else {
			fmt.Fprint(f.out, "\n                        Final Process Tree?\n\n")
		}
	}
	return nil
}

// act checks and does one action, "P+C" or "P-".
func (r *forkRun) act(a string) (string, error) {
	f := r.f
	bad := forkStop(fmt.Sprintf("bad action (%s), must be X+Y or X- where X and Y are processes", a))
	var parts []string
	switch {
	case strings.Contains(a, "+"):
		parts = strings.Split(a, "+")
	case strings.Contains(a, "-"):
		parts = strings.Split(a, "-")
	default:
		return "", bad
	}
	if len(parts) != 2 || !slices.Contains(f.procs, parts[0]) {
		return "", bad
	}
	p := parts[0]
	if strings.Contains(a, "+") {
		if f.children[p] == nil {
			return "", osteptool.PyError("AttributeError: 'int' object has no attribute 'append'")
		}
		return f.fork(p, parts[1]), nil
	}
	if f.leafOnly && len(f.children[p]) > 0 {
		return p + " EXITS (failed: has children)", nil
	}
	if p == forkRoot {
		return "", forkStop("root process: cannot exit")
	}
	return f.exit(p), nil
}
