// Command probe is the tests' WebAssembly program: each subcommand does
// one thing a program does with its system and prints what it saw, so a
// test reads the outcome from standard output.
//
//	probe args A B …       print each argument on a line
//	probe env KEY          print $KEY
//	probe exit N           exit with status N
//	probe cwd              print the working directory
//	probe write PATH N     write N bytes (a pattern) to PATH, print the sum
//	probe sum PATH         print PATH's size and sum
//	probe ls DIR           list DIR: one "name type" line each
//	probe mkdir DIR        make DIR
//	probe mv OLD NEW       rename OLD to NEW
//	probe rm PATH          remove PATH
//	probe open PATH        open PATH for reading and report the error
//	probe create PATH      create PATH for writing and report the error
//	probe fill PATH        write to PATH until a write fails; print the error
//	probe cat [PATH]       copy PATH (or standard input) to standard output
//	probe slowcopy A B     copy A to B 4 KiB at a time, sleeping 1 ms each
//	probe sleep MS         sleep, then print the virtual time it took
//	probe rand             print 8 random bytes
//	probe spin N           compute fib(N) recursively and print it
//	probe trap             dereference nil (Go's runtime panics: status 2)
//	probe alloc MB         allocate and touch MB mebibytes, print ok
package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: probe COMMAND ARGS…")
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	if err := run(cmd, args); err != nil {
		fmt.Fprintf(os.Stderr, "probe %s: %s (%v)\n", cmd, errName(err), err)
		os.Exit(1)
	}
}

func run(cmd string, args []string) error {
	switch cmd {
	case "args":
		for _, a := range args {
			fmt.Println(a)
		}
	case "env":
		fmt.Println(os.Getenv(args[0]))
	case "exit":
		n, _ := strconv.Atoi(args[0])
		os.Exit(n)
	case "cwd":
		wd, err := os.Getwd()
		fmt.Println(wd)
		return err
	case "write":
		n, _ := strconv.Atoi(args[1])
		data := pattern(n)
		if err := os.WriteFile(args[0], data, 0o644); err != nil {
			return err
		}
		fmt.Println(len(data), sum(data))
	case "sum":
		data, err := os.ReadFile(args[0])
		if err != nil {
			return err
		}
		fmt.Println(len(data), sum(data))
	case "ls":
		es, err := os.ReadDir(args[0])
		if err != nil {
			return err
		}
		for _, e := range es {
			kind := "file"
			if e.IsDir() {
				kind = "dir"
			}
			fmt.Println(e.Name(), kind)
		}
	case "mkdir":
		return os.Mkdir(args[0], 0o755)
	case "mv":
		return os.Rename(args[0], args[1])
	case "rm":
		return os.Remove(args[0])
	case "open":
		f, err := os.Open(args[0])
		if err == nil {
			_, err = f.Read(make([]byte, 1))
			f.Close()
		}
		fmt.Println(errName(err))
	case "create":
		f, err := os.Create(args[0])
		if err == nil {
			f.Close()
		}
		fmt.Println(errName(err))
	case "fill":
		return fill(args[0])
	case "cat":
		in := os.Stdin
		if len(args) > 0 {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			in = f
		}
		_, err := io.Copy(os.Stdout, in)
		return err
	case "slowcopy":
		return slowcopy(args[0], args[1])
	case "sleep":
		ms, _ := strconv.Atoi(args[0])
		start := time.Now()
		time.Sleep(time.Duration(ms) * time.Millisecond)
		fmt.Println(time.Since(start).Round(time.Millisecond))
	case "rand":
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		fmt.Printf("%x\n", b)
	case "spin":
		n, _ := strconv.Atoi(args[0])
		fmt.Println(fib(n))
	case "alloc":
		mb, _ := strconv.Atoi(args[0])
		b := make([]byte, mb<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		fmt.Println("ok")
	case "trap":
		var p *[1 << 20]byte
		fmt.Println(p[12345]) // a nil dereference: Go's wasm runtime panics
	default:
		return fmt.Errorf("unknown command %q", cmd)
	}
	return nil
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func sum(b []byte) uint32 {
	var s uint32
	for _, c := range b {
		s = s*31 + uint32(c)
	}
	return s
}

func fill(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	chunk := pattern(64 << 10)
	total := 0
	for {
		n, err := f.Write(chunk)
		total += n
		if err != nil {
			fmt.Println(errName(err), total > 0)
			return nil
		}
	}
}

func slowcopy(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	buf := make([]byte, 4096)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if _, err := out.Write(buf[:n]); err != nil {
				return err
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
	return out.Close()
}

// errName is the errno's name of err: what a test compares.
func errName(err error) string {
	if err == nil {
		return "ok"
	}
	var e syscall.Errno
	if !errors.As(err, &e) {
		return err.Error()
	}
	for _, n := range []struct {
		e    syscall.Errno
		name string
	}{{syscall.ENOENT, "ENOENT"}, {syscall.EISDIR, "EISDIR"}, {syscall.ENOTDIR, "ENOTDIR"},
		{syscall.EACCES, "EACCES"}, {syscall.EPERM, "EPERM"}, {syscall.EEXIST, "EEXIST"},
		{syscall.ENOSPC, "ENOSPC"}, {syscall.EIO, "EIO"}, {syscall.ENOTEMPTY, "ENOTEMPTY"},
		{syscall.EBADF, "EBADF"}, {syscall.EINVAL, "EINVAL"}, {syscall.ENOSYS, "ENOSYS"}} {
		if e == n.e {
			return n.name
		}
	}
	return fmt.Sprintf("errno %d", int(e))
}
