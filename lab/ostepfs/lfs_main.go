package ostepfs

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/lab/optparse"
	"github.com/mkos/mkos/lab/osteptool"
)

// lfsParser is lfs.py's command line.
var lfsParser = &optparse.Parser{Prog: "lfs.py", Options: []optparse.Option{
	{Short: "-s", Long: "--seed", Dest: "seed", Kind: optparse.IntKind, Default: "0", Help: "the random seed"},
	{Short: "-N", Long: "--no_force", Dest: "no_force_checkpoints", Kind: optparse.True, Default: "False", Help: "Do not force checkpoint writes after updates"},
	{Short: "-F", Long: "--no_final", Dest: "no_final", Kind: optparse.True, Default: "False", Help: "Do not show the final state of the file system"},
	{Short: "-D", Long: "--use_disk_cr", Dest: "use_disk_cr", Kind: optparse.True, Default: "False", Help: "use disk (maybe old) version of checkpoint region"},
	{Short: "-c", Long: "--compute", Dest: "solve", Kind: optparse.True, Default: "False", Help: "compute answers for me"},
	{Short: "-o", Long: "--show_operations", Dest: "show_operations", Kind: optparse.True, Default: "False", Help: "print out operations as they occur"},
	{Short: "-i", Long: "--show_intermediate", Dest: "show_intermediate", Kind: optparse.True, Default: "False", Help: "print out state changes as they occur"},
	{Short: "-e", Long: "--show_return_codes", Dest: "show_return_codes", Kind: optparse.True, Default: "False", Help: "show error/return codes"},
	{Short: "-v", Long: "--show_live_paths", Dest: "show_live_paths", Kind: optparse.True, Default: "False", Help: "show live paths"},
	{Short: "-n", Long: "--num_commands", Dest: "num_commands", Default: "3", Help: "generate N random commands"},
	{Short: "-p", Long: "--percentages", Dest: "percentages", Default: "c30,w30,d10,r20,l10,s0", Help: "percent chance of: createfile,writefile,createdir,rmfile,linkfile,sync (example is c30,w30,d10,r20,l10,s0)"},
	{Short: "-a", Long: "--allocation_policy", Dest: "inode_policy", Default: "s", Help: `inode allocation policy: "r" for "random" or "s" for "sequential"`},
	{Short: "-L", Long: "--command_list", Dest: "command_list", Default: "", Help: `command list in format: "cmd1,arg1,...,argN:cmd2,arg1,...,argN:... where cmds are: c:createfile, d:createdir, r:delete, w:write, l:link, s:sync format: c,filepath d,dirpath r,filepath w,filepath,offset,numblks l,srcpath,dstpath s`},
}}

// lfsCommands are the commands in the order the percentages are checked.
const lfsCommands = "cwdrls"

// Lfs is file-lfs/lfs.py: a log-structured file system (checkpoint
// region, inode map in chunks, inodes and blocks appended to the log),
// given commands or random ones, with the log shown before and after and
// the question of which commands ran, or what they wrote, or which blocks
// are live.
func Lfs(args []string, out, errw io.Writer) int {
	args, withMkos := cutFlag(args, "--mkos")
	v, status, done := osteptool.Parse(lfsParser, args, out, errw)
	if done {
		return status
	}
	st, cmds, err := runLfs(v, out)
	if err != nil {
		return osteptool.Traceback(errw, "lfs.py", err)
	}
	if withMkos && st == 0 {
		return lfsOnMkos(cmds, out, errw)
	}
	return st
}

// lfsRange is a command's share of [0, 1).
type lfsRange struct{ lo, hi float64 }

// percentages is process_percentages.
func percentages(spec string, out io.Writer) (map[byte]lfsRange, int, error) {
	items := strings.Split(spec, ",")
	sum := int64(0)
	for _, p := range items {
		if p == "" {
			return nil, 1, osteptool.PyError("IndexError: string index out of range")
		}
		n, err := pyInt(p[1:])
		if err != nil {
			return nil, 1, err
		}
		if n < 0 {
			fmt.Fprintln(out, "percentages must be positive or zero")
			return nil, 1, nil
		}
		sum += n
	}
	if sum != 100 {
		fmt.Fprintln(out, "percentages do not add to 100")
		return nil, 1, nil
	}
	ranges := map[byte]lfsRange{}
	sum = 0
	for _, p := range items {
		if !strings.Contains(lfsCommands, p[:1]) {
			fmt.Fprintln(out, "bad command", p[:1])
			return nil, 1, nil
		}
		n, _ := pyInt(p[1:])
		ranges[p[0]] = lfsRange{float64(sum) / 100.0, float64(sum+n) / 100.0}
		sum += n
	}
	return ranges, 0, nil
}

func runLfs(v *optparse.Values, out io.Writer) (int, []string, error) {
	r := pyrand.New(v.Int("seed"))
	list := v.Str("command_list")
	num, err := pyInt(v.Str("num_commands"))
	if err != nil {
		return 1, nil, err
	}
	pct, st, err := percentages(v.Str("percentages"), out)
	if pct == nil {
		return st, nil, err
	}
	l := newLFS(out, r)
	switch v.Str("inode_policy") {
	case "s":
	case "r":
		l.randomInodes = true
	default:
		fmt.Fprintln(out, "bad policy", v.Str("inode_policy"))
		return 1, nil, nil
	}
	l.useDiskCR, l.noForce, l.solve = v.Bool("use_disk_cr"), v.Bool("no_force_checkpoints"), v.Bool("solve")
	if list == "" {
		if num < 0 {
			fmt.Fprintln(out, "num_commands must be greater than zero", num)
			return 1, nil, nil
		}
		if list, st, err = lfsCommandList(r, num, pct, out); st != 0 || err != nil {
			return st, nil, err
		}
	}
	fmt.Fprint(out, "\nINITIAL file system contents:\n")
	l.dump(0, len(l.disk), true)
	l.dumpLast = 4
	fmt.Fprintln(out)
	var cmds []string
	if list != "" {
		cmds = strings.Split(list, ":")
	}
	run := lfsRun{l: l, v: v, rc: -2}
	for _, c := range cmds {
		if err := run.command(strings.Split(c, ",")); err != nil {
			return 1, nil, err
		}
	}
	if v.Bool("no_final") {
		fmt.Fprintln(out)
		return 0, cmds, nil
	}
	fmt.Fprint(out, "\nFINAL file system contents:\n")
	l.dump(0, len(l.disk), false)
	fmt.Fprintln(out)
	if v.Bool("show_live_paths") {
		fmt.Fprintf(out, "Live directories:  %s\nLive files:  %s\n\n", pyStrList(run.dirs), pyStrList(run.files))
	}
	return 0, cmds, nil
}

// lfsRun is the script's loop over the commands: what it prints, and
// the files and directories it saw made.
type lfsRun struct {
	l           *lfs
	v           *optparse.Values
	rc          int // -2: never set (a NameError when printed)
	files, dirs []string
}

// command runs one command: its echo (-o), the operation, the log it
// appended (-i), its return code and errors (-e).
func (x *lfsRun) command(c []string) error {
	l, out, showOp := x.l, x.l.out, x.v.Bool("show_operations")
	argc := map[string]int{"c": 2, "d": 2, "r": 2, "l": 3, "w": 4}[c[0]]
	if argc != 0 && len(c) != argc {
		return errLFSAssert
	}
	echo := func(format string, a ...any) {
		if showOp {
			fmt.Fprintf(out, format, a...)
		}
	}
	var err error
	switch c[0] {
	case "c", "d":
		echo(map[string]string{"c": "create file %s ", "d": "create dir  %s "}[c[0]], c[1])
		if x.rc, err = l.create(c[1], c[0] == "c"); err == nil && x.rc == 0 {
			if c[0] == "c" {
				x.files = append(x.files, c[1])
			} else {
				x.dirs = append(x.dirs, c[1])
			}
		}
	case "r":
		echo("delete file %s ", c[1])
		if x.rc, err = l.remove(c[1]); err == nil && x.rc == 0 {
			if i := indexOf(x.files, c[1]); i >= 0 {
				x.files = append(x.files[:i], x.files[i+1:]...)
			} else {
				fmt.Fprintln(out, "warning: cannot find file", c[1])
			}
		}
	case "l":
		echo("link file   %s %s ", c[1], c[2])
		if x.rc, err = l.link(c[1], c[2]); err == nil && x.rc == 0 {
			x.files = append(x.files, c[2])
		}
	case "w":
		off, err := pyInt(c[2])
		if err != nil {
			return err
		}
		n, err := pyInt(c[3])
		if err != nil {
			return err
		}
		echo("write file  %s offset=%d size=%d ", c[1], off, n)
		x.rc, err = l.write(c[1], int(off), int(n))
		if err != nil {
			return err
		}
	case "s":
		echo("sync ")
		l.errors = nil
		l.crSync()
		x.rc = 0
	default:
		fmt.Fprintf(out, "command not understood so skipping [%s]\n", c[0])
	}
	if err != nil {
		return err
	}
	return x.report(c[0] == "s")
}

// report is the end of a command's lines.
func (x *lfsRun) report(sync bool) error {
	l, out := x.l, x.l.out
	if !x.v.Bool("show_operations") {
		fmt.Fprint(out, "command? ")
	}
	if x.v.Bool("show_intermediate") {
		fmt.Fprint(out, "\n\n")
		l.dumpPartial(false, sync)
		fmt.Fprintln(out)
	}
	if !x.v.Bool("show_return_codes") {
		fmt.Fprintln(out)
		return nil
	}
	if x.rc == -2 {
		return osteptool.PyError("NameError: name 'rc' is not defined")
	}
	fmt.Fprintln(out, "->", x.rc)
	for _, e := range l.errors {
		fmt.Fprintf(out, "  %s\n", e)
	}
	return nil
}

func indexOf(s []string, x string) int {
	for i, y := range s {
		if y == x {
			return i
		}
	}
	return -1
}
