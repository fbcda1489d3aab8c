package wasi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/ulib"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental/sysfs"
	"github.com/tetratelabs/wazero/sys"
)

// Magic is the first four bytes of every WebAssembly module: "\0asm".
var Magic = []byte{0, 'a', 's', 'm'}

// IsModule reports whether head, the first bytes of a file, start a
// WebAssembly module.
func IsModule(head []byte) bool { return bytes.HasPrefix(head, Magic) }

// Program returns the program pm runs for the WebAssembly module in the
// file at path: each run reads the file (through the file server, with
// the process's credentials), compiles it or finds it compiled (cache.go)
// and runs its _start with the process's arguments, environment, working
// directory and descriptors 0, 1 and 2.
//
// The exit status is the module's proc_exit code, 0 when _start returns;
// a module that cannot be read or compiled ends with 126 after a message
// on standard error; a trap (unreachable, an access out of bounds) ends
// the process as a native program's crash does: killed by SIGSEGV.
//
// hostWait, when not nil, marks the start (true) and end (false) of a
// compile, which takes seconds of host time without a system call: boot
// passes the kernel pulse's HostWait, so the watchdog does not take a
// compile for a spin.
func Program(path string, hostWait func(on bool)) pmproto.Program {
	if hostWait == nil {
		hostWait = func(bool) {}
	}
	return ulib.Main(func(p *ulib.Proc, argv, env []string) int {
		return run(p, path, argv, env, hostWait)
	})
}

// run loads, compiles and runs the module at path as process p.
func run(p *ulib.Proc, path string, argv, env []string, hostWait func(bool)) int {
	code, err := p.ReadFile(path)
	if err != nil {
		p.Fprintf(2, "%s: %s\n", path, ulib.Strerror(err))
		return 126
	}
	ctx := context.Background()
	hostWait(true)
	mod, err := compiled(ctx, code)
	hostWait(false)
	if err != nil {
		p.Fprintf(2, "%s: not a WebAssembly program: %v\n", path, err)
		return 126
	}
	m := &meter{sys: p.Sys}
	p.Sys.Compute(StartNs)
	ctx = context.WithValue(ctx, meterKey{}, m)
	inst, err := theRuntime(ctx).InstantiateModule(ctx, mod, config(p, argv, env))
	m.flush()
	if inst != nil {
		_ = inst.Close(ctx)
	}
	var exit *sys.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return int(exit.ExitCode())
	}
	p.Fprintf(2, "%s: %v\n", path, err)
	panic(fmt.Sprintf("wasm trap in %s: %v", path, firstLine(err.Error())))
}

// config is the module configuration of one run: everything the program
// sees of the system goes through process p.
func config(p *ulib.Proc, argv, env []string) wazero.ModuleConfig {
	fsc := wazero.NewFSConfig().(sysfs.FSConfig).WithSysFSMount(&procFS{p: p}, "/")
	c := wazero.NewModuleConfig().
		WithName("").
		WithArgs(argv...).
		WithStdin(p.File(0)).WithStdout(p.File(1)).WithStderr(p.File(2)).
		WithFSConfig(fsc).
		WithWalltime(walltime(p.Sys), 1).
		WithNanotime(nanotime(p.Sys), 1).
		WithNanosleep(nanosleep(p)).
		WithOsyield(p.Sys.Yield).
		WithRandSource(randSource{p.Sys})
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if k != "PWD" {
			c = c.WithEnv(k, v)
		}
	}
	// Go's wasip1 runtime (and wasi-libc) takes its working directory
	// from PWD: the process's own.
	return c.WithEnv("PWD", p.Getcwd())
}

// firstLine is s up to its first newline: a trap's message without
// wazero's stack trace.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
