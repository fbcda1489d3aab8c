package fscmd

import (
	"fmt"
	"hash/crc32"
	"sort"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// command is one entry of the command table.
type command struct {
	usage    string
	help     string
	min, max int // argument counts; max -1: any
	run      func(r *Runner, args []string) error
}

// Commands is the command table: it doubles as the runner's documentation
// (help prints it).
var Commands map[string]command

func init() {
	Commands = map[string]command{
		"help":      {"help", "list the commands", 0, 0, (*Runner).help},
		"echo":      {"echo TEXT...", "print TEXT", 0, -1, (*Runner).echo},
		"write":     {"write PATH TEXT...", "create or truncate PATH and write TEXT and a new line", 1, -1, (*Runner).write},
		"append":    {"append PATH TEXT...", "append TEXT and a new line to PATH, creating it", 1, -1, (*Runner).write},
		"fill":      {"fill PATH SIZE", "create PATH with SIZE bytes of a pattern (large files)", 2, 2, (*Runner).fill},
		"cat":       {"cat PATH", "print the contents of PATH", 1, 1, (*Runner).cat},
		"sum":       {"sum PATH", "print the size and CRC-32 of PATH's contents", 1, 1, (*Runner).sum},
		"ls":        {"ls [-a] [-l] [PATH]", "list a directory (default /), sorted", 0, 3, (*Runner).ls},
		"stat":      {"stat PATH", "describe PATH, following symbolic links", 1, 1, (*Runner).stat},
		"lstat":     {"lstat PATH", "describe PATH itself", 1, 1, (*Runner).stat},
		"mkdir":     {"mkdir PATH...", "create directories", 1, -1, each(mkdir)},
		"rmdir":     {"rmdir PATH...", "remove empty directories", 1, -1, each(fsproto.Client.Rmdir)},
		"rm":        {"rm PATH...", "remove names of files", 1, -1, each(fsproto.Client.Unlink)},
		"mv":        {"mv OLD NEW", "rename OLD to NEW", 2, 2, two(fsproto.Client.Rename)},
		"ln":        {"ln [-s] OLD NEW", "link NEW to OLD (-s: a symbolic link)", 2, 3, (*Runner).ln},
		"readlink":  {"readlink PATH", "print a symbolic link's target", 1, 1, (*Runner).readlink},
		"truncate":  {"truncate PATH SIZE", "set PATH's size", 2, 2, (*Runner).truncate},
		"chmod":     {"chmod MODE PATH", "set permission bits (octal)", 2, 2, (*Runner).chmod},
		"sync":      {"sync", "commit everything to the disk", 0, 0, (*Runner).sync},
		"df":        {"df", "print the file system's size and free space", 0, 0, (*Runner).df},
		"open":      {"open PATH FLAGS [MODE]", "open PATH; FLAGS like rdwr,creat,excl,trunc,append; prints the descriptor", 2, 3, (*Runner).open},
		"close":     {"close FD", "close a descriptor", 1, 1, (*Runner).close},
		"read":      {"read FD N", "read up to N bytes at the descriptor's offset", 2, 2, (*Runner).read},
		"pread":     {"pread FD N OFF", "read up to N bytes at OFF", 3, 3, (*Runner).read},
		"fdwrite":   {"fdwrite FD TEXT", "write TEXT at the descriptor's offset", 2, 2, (*Runner).fdwrite},
		"pwrite":    {"pwrite FD OFF TEXT", "write TEXT at OFF", 3, 3, (*Runner).fdwrite},
		"seek":      {"seek FD OFF set|cur|end", "move the descriptor's offset", 3, 3, (*Runner).seek},
		"fstat":     {"fstat FD", "describe the descriptor's file", 1, 1, (*Runner).fstat},
		"ftruncate": {"ftruncate FD SIZE", "set the descriptor's file's size", 2, 2, (*Runner).ftruncate},
		"fsync":     {"fsync FD", "commit everything, through a descriptor", 1, 1, (*Runner).fsync},
	}
}

func mkdir(c fsproto.Client, path string) error { return c.Mkdir(path, 0o755) }

func (r *Runner) help([]string) error {
	names := make([]string, 0, len(Commands))
	for n := range Commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(r.Out, "%-26s %s\n", Commands[n].usage, Commands[n].help)
	}
	return nil
}

func (r *Runner) echo(args []string) error {
	fmt.Fprintln(r.Out, strings.Join(args, " "))
	return nil
}

// each runs op on every argument.
func each(op func(fsproto.Client, string) error) func(*Runner, []string) error {
	return func(r *Runner, args []string) error {
		for _, a := range args {
			if err := op(r.C, a); err != nil {
				return err
			}
		}
		return nil
	}
}

// two runs op on the two arguments.
func two(op func(fsproto.Client, string, string) error) func(*Runner, []string) error {
	return func(r *Runner, args []string) error { return op(r.C, args[0], args[1]) }
}

// write serves write and append.
func (r *Runner) write(args []string) error {
	flags := linux.O_WRONLY | linux.O_CREAT | linux.O_TRUNC
	if len(args) > 0 && r.cmdIs("append") {
		flags = linux.O_WRONLY | linux.O_CREAT | linux.O_APPEND
	}
	return r.writeFile(args[0], flags, []byte(strings.Join(args[1:], " ")+"\n"))
}

// cmdIs is set by exec for commands that share a function.
func (r *Runner) cmdIs(name string) bool { return r.current == name }

func (r *Runner) writeFile(path string, flags int, data []byte) error {
	fd, err := r.C.Open(path, flags, 0o644)
	if err != nil {
		return err
	}
	_, err = r.C.Write(fd, data)
	if cerr := r.C.Close(fd); err == nil {
		err = cerr
	}
	return err
}

func (r *Runner) fill(args []string) error {
	size, err := number(args[1])
	if err != nil || size < 0 || size > 1<<30 {
		return fmt.Errorf("%q is not a size up to 1 GiB", args[1])
	}
	data := make([]byte, size)
	for i := range data {
		data[i] = byte('a' + i%26 + i/4096%7)
	}
	return r.writeFile(args[0], linux.O_WRONLY|linux.O_CREAT|linux.O_TRUNC, data)
}

// readAll reads the whole file at path.
func (r *Runner) readAll(path string) ([]byte, error) {
	fd, err := r.C.Open(path, linux.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer r.C.Close(fd)
	var out []byte
	buf := make([]byte, ipc.MaxBulk)
	for {
		n, err := r.C.Read(fd, buf)
		out = append(out, buf[:n]...)
		if err != nil || n == 0 {
			return out, err
		}
	}
}

func (r *Runner) cat(args []string) error {
	data, err := r.readAll(args[0])
	r.Out.Write(data)
	return err
}

func (r *Runner) sum(args []string) error {
	data, err := r.readAll(args[0])
	if err == nil {
		fmt.Fprintf(r.Out, "%s: %d bytes, crc32 %08x\n", args[0], len(data), crc32.ChecksumIEEE(data))
	}
	return err
}

func (r *Runner) ln(args []string) error {
	if args[0] == "-s" && len(args) == 3 {
		return r.C.Symlink(args[1], args[2])
	}
	if len(args) != 2 {
		return fmt.Errorf("usage: %s", Commands["ln"].usage)
	}
	return r.C.Link(args[0], args[1])
}

func (r *Runner) readlink(args []string) error {
	t, err := r.C.Readlink(args[0])
	if err == nil {
		fmt.Fprintln(r.Out, t)
	}
	return err
}

func (r *Runner) truncate(args []string) error {
	size, err := number(args[1])
	if err != nil {
		return err
	}
	return r.C.Truncate(args[0], size)
}

func (r *Runner) chmod(args []string) error {
	mode, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil {
		return fmt.Errorf("%q is not an octal mode", args[0])
	}
	return r.C.Chmod(args[1], uint32(mode))
}

func (r *Runner) sync([]string) error { return r.C.Sync() }

func (r *Runner) df([]string) error {
	i, err := r.C.Statfs()
	if err == nil {
		fmt.Fprintf(r.Out, "%d blocks of %d bytes, %d free; %d inodes, %d free; names up to %d bytes\n",
			i.Blocks, i.BlockSize, i.FreeBlocks, i.Inodes, i.FreeInodes, i.NameMaxSize)
	}
	return err
}
