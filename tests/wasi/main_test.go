// Package wasi_test runs real WebAssembly programs on mkos: the programs
// of user/wasm, built here with the Go toolchain (GOOS=wasip1), placed on
// a fresh disk and run by the shell as pm runs any program.
package wasi_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	sysinit "github.com/mkos/mkos/user/init"
	"github.com/mkos/mkos/user/wasi"
)

// modules are the built programs, by name (hello, wc, probe).
var modules = map[string][]byte{}

// TestMain builds the programs once for the whole test binary, in a
// temporary directory (the Go build cache makes it quick after the first).
func TestMain(m *testing.M) {
	boot.ChildMain() // the server processes of TestProcessIsolation
	dir, err := os.MkdirTemp("", "mkos-wasm")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Compiled machine code is kept across test runs, as mkos itself does
	// (cmd/mkos/wasmcache.go): compiling a 3 MB module takes seconds.
	if base, err := os.UserCacheDir(); err == nil {
		wasi.SetCacheDir(filepath.Join(base, "mkos", "wasm-test"))
	}
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// build compiles user/wasm's programs into dir and reads them.
func build(dir string) error {
	for _, name := range []string{"hello", "wc", "probe"} {
		out := filepath.Join(dir, name+".wasm")
		cmd := exec.Command("go", "build", "-o", out, "../../user/wasm/"+name)
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %v\n%s", name, err, msg)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		modules[name] = b
	}
	return nil
}

// file is one file placed on the disk before the run.
type file struct {
	path string
	data []byte
	mode uint32
}

// programs are the three programs in /bin, executable by everyone.
func programs() []file {
	return []file{{"/bin/hello", modules["hello"], 0o755}, {"/bin/wc.wasm", modules["wc"], 0o755},
		{"/bin/probe", modules["probe"], 0o755}}
}

// result is what a shell script run printed and its status.
type result struct {
	out, err string
	status   int
	endNs    int64 // the virtual time at the end of the run
}

// sh boots a system in mode with a fresh 16 MiB disk holding the programs
// and extra files, runs script with sh -c as user (root when ""), and
// returns what it printed. Boot and run errors fail the test.
func sh(t *testing.T, mode boot.Mode, user, script string, extra ...file) result {
	t.Helper()
	return shWith(t, mode, user, script, 16<<20, extra...)
}

func shWith(t *testing.T, mode boot.Mode, user, script string, diskBytes int, extra ...file) result {
	t.Helper()
	return shSeed(t, mode, user, script, diskBytes, 1, extra...)
}

func shSeed(t *testing.T, mode boot.Mode, user, script string, diskBytes int, seed uint64, extra ...file) result {
	t.Helper()
	return shTraced(t, mode, "", user, script, diskBytes, seed, "", nil, extra...)
}

// shTraced is sh with everything said: the isolation of user-space
// servers ("" for the default), the console's input, and a tracer for the
// kernel's events.
func shTraced(t *testing.T, mode boot.Mode, isolation, user, script string, diskBytes int, seed uint64, stdin string, tr kernel.Tracer, extra ...file) result {
	t.Helper()
	cfg := boot.Default()
	cfg.Seed = seed
	if isolation != "" {
		cfg.Isolation = isolation
	}
	cfg.Mode = mode
	cfg = boot.UserSpace(cfg)
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: boot.Size(diskBytes), Kind: hw.KindSSD}
	if user != "" {
		cfg.User = user
	}
	sys, err := boot.Boot(cfg, tr)
	if err != nil {
		t.Fatalf("Boot() = %v", err)
	}
	defer sys.Close()
	if err := sys.FormatDisk(); err != nil {
		t.Fatalf("FormatDisk() = %v", err)
	}
	for _, f := range append(programs(), extra...) {
		if err := sys.PutFile(f.path, f.data, f.mode); err != nil {
			t.Fatalf("PutFile() = %v", err)
		}
	}
	var out, errb syncBuffer
	con := &boot.Console{In: strings.NewReader(stdin), Out: &out, Err: &errb}
	run, err := sys.StartInit(sysinit.Options{Argv: []string{"sh", "-c", script}}, con)
	if err != nil {
		t.Fatalf("StartInit() = %v", err)
	}
	if err := sys.Kernel.Run(); err != nil {
		t.Fatalf("Run() = %v (out %q, err %q)", err, out.String(), errb.String())
	}
	return result{out.String(), errb.String(), run.Status, sys.Kernel.Now()}
}

// syncBuffer is a bytes.Buffer the console may write from its goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
