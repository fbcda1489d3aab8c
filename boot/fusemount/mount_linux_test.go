//go:build linux

package fusemount_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/fusemount"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/fs/layout"
)

// childEnv makes the test binary a mount process (TestMain): IMAGE:DIR.
const childEnv = "MKOS_FUSEMOUNT_CHILD"

func TestMain(m *testing.M) {
	if arg := os.Getenv(childEnv); arg != "" {
		image, dir, _ := strings.Cut(arg, ":")
		mt, err := fusemount.Start(image, dir, fusemount.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("mounted")
		_ = mt.Wait()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// newImage makes a fresh 32 MiB image with mkos's root tree.
func newImage(t *testing.T) string {
	t.Helper()
	image := filepath.Join(t.TempDir(), "disk.img")
	cfg := boot.Default()
	cfg.Servers = nil
	cfg.Disk = &boot.DiskConf{Image: image, Size: 32 << 20, Kind: "ssd"}
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		t.Fatalf("Boot() = %v", err)
	}
	if err := sys.FormatDisk(); err != nil {
		t.Fatalf("FormatDisk() = %v", err)
	}
	if err := sys.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	return image
}

// mount mounts image in a new temporary directory; the cleanup unmounts
// it and checks the image with fsck.
func mount(t *testing.T, image string, o fusemount.Options) string {
	t.Helper()
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Fatalf("these tests need FUSE (/dev/fuse, as root): %v", err)
	}
	dir := t.TempDir()
	mt, err := fusemount.Start(image, dir, o)
	if err != nil {
		t.Fatalf("Start() = %v", err)
	}
	t.Cleanup(func() {
		if err := mt.Unmount(); err != nil {
			t.Errorf("Unmount() = %v", err)
		}
		if err := mt.Wait(); err != nil {
			t.Errorf("Wait() = %v", err)
		}
		checkClean(t, image)
	})
	return dir
}

// checkClean fails t unless fsck finds image clean.
func checkClean(t *testing.T, image string) {
	t.Helper()
	dev, err := bdev.OpenFileReadOnly(image, layout.BlockSize)
	if err != nil {
		t.Fatalf("open %s: %v", image, err)
	}
	defer dev.Close()
	rep, err := fsck.Check(dev)
	if err != nil || !rep.Clean() {
		t.Errorf("fsck.Check() = %v, %v, want clean", rep, err)
	}
}

// sh runs a host shell command in dir and returns its output. The shell
// changes to dir itself: a chdir into the mount between fork and exec
// (cmd.Dir) would wait for this process's FUSE server while the forking
// thread holds up the garbage collector's stop of the world.
func sh(t *testing.T, dir, script string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", "cd '"+dir+"' && "+script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh -c %q = %v\n%s", script, err, out)
	}
	return string(out)
}

// The host's own tools work on a mounted image: ls, cat, cp, find, diff,
// mkdir, mv, rm, ln -s, chmod, truncate.
func TestHostTools(t *testing.T) {
	dir := mount(t, newImage(t), fusemount.Options{})
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "big"), bytes.Repeat([]byte("mkos "), 300_000), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(src, "a/b/c"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "a/b/c/leaf"), []byte("leaf\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, script, want string
	}{
		{"ls", "ls etc | head -3", "group\nmotd\npasswd\n"},
		{"cat", "head -1 etc/motd", "Welcome to mkos, a microkernel operating-system simulator.\n"},
		{"cp and diff", "cp -r " + src + " root/copy && diff -r " + src + " root/copy && echo same", "same\n"},
		{"find", "find root/copy | sort", "root/copy\nroot/copy/a\nroot/copy/a/b\nroot/copy/a/b/c\nroot/copy/a/b/c/leaf\nroot/copy/big\n"},
		{"stat", "stat -c '%s %a' root/copy/big root/copy/a/b/c/leaf", "1500000 644\n5 600\n"},
		{"mv and rm", "mkdir tmp/d && echo x > tmp/d/f && mv tmp/d/f tmp/d/g && ls tmp/d && rm tmp/d/g && rmdir tmp/d && ls tmp | wc -l", "g\n0\n"},
		{"symlink", "ln -s ../etc/motd tmp/l && readlink tmp/l && head -c 7 tmp/l", "../etc/motd\nWelcome"},
		{"chmod and truncate", "echo hello > tmp/t && chmod 600 tmp/t && truncate -s 2 tmp/t && stat -c '%s %a' tmp/t && cat tmp/t", "2 600\nhe"},
		{"append", "echo one > tmp/a && echo two >> tmp/a && cat tmp/a", "one\ntwo\n"},
		{"df", "df -B4096 . | tail -1 | awk '{print $2}'", "8192\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sh(t, dir, tc.script); got != tc.want {
				t.Errorf("sh -c %q = %q, want %q", tc.script, got, tc.want)
			}
		})
	}
}

// Errors reach the host as errno values: ENOENT, EEXIST, ENOTEMPTY,
// EISDIR.
func TestErrors(t *testing.T) {
	dir := mount(t, newImage(t), fusemount.Options{})
	_, err := os.ReadFile(filepath.Join(dir, "nope"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(nope) = %v, want ENOENT", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "etc"), 0o755); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Mkdir(etc) = %v, want EEXIST", err)
	}
	if err := os.Remove(filepath.Join(dir, "etc")); !errors.Is(err, syscall.ENOTEMPTY) {
		t.Errorf("Remove(etc) = %v, want ENOTEMPTY", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tmp"), nil, 0o644); !errors.Is(err, syscall.EISDIR) {
		t.Errorf("WriteFile(tmp) = %v, want EISDIR", err)
	}
}

// Go's own file-system checker passes on a mounted tree.
func TestFSTest(t *testing.T) {
	dir := mount(t, newImage(t), fusemount.Options{})
	files := map[string]string{"d/one": "1\n", "d/two": strings.Repeat("2", 100_000), "d/e/three": "", "top": "top\n"}
	for name, data := range files {
		p := filepath.Join(dir, "tmp", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := fstest.TestFS(os.DirFS(filepath.Join(dir, "tmp")), "d/one", "d/two", "d/e/three", "top"); err != nil {
		t.Error(err)
	}
	if err := fstest.TestFS(os.DirFS(dir), "etc/motd", "etc/passwd", "tmp/top"); err != nil {
		t.Error(err)
	}
}

// A read-only mount reads and refuses every change with EROFS.
func TestReadOnly(t *testing.T) {
	dir := mount(t, newImage(t), fusemount.Options{ReadOnly: true})
	if _, err := os.ReadFile(filepath.Join(dir, "etc/motd")); err != nil {
		t.Errorf("ReadFile(etc/motd) = %v, want it read", err)
	}
	for name, change := range map[string]func() error{
		"create": func() error { return os.WriteFile(filepath.Join(dir, "tmp/x"), nil, 0o644) },
		"mkdir":  func() error { return os.Mkdir(filepath.Join(dir, "tmp/d"), 0o755) },
		"remove": func() error { return os.Remove(filepath.Join(dir, "etc/motd")) },
		"write":  func() error { return os.WriteFile(filepath.Join(dir, "etc/motd"), []byte("x"), 0o644) },
	} {
		if err := change(); !errors.Is(err, syscall.EROFS) {
			t.Errorf("%s = %v, want EROFS", name, err)
		}
	}
}

// A write the host was told succeeded survives a SIGKILL of the mount
// process: the next mount finds it, and fsck finds the image clean.
func TestKilledMountKeepsAcknowledgedWrites(t *testing.T) {
	image := newImage(t)
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"="+image+":"+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8)
	if n, err := out.Read(buf); err != nil || string(buf[:n]) != "mounted\n" {
		t.Fatalf("the mount process said %q, %v, want mounted", buf[:n], err)
	}
	data := bytes.Repeat([]byte("acknowledged "), 50_000)
	if err := os.WriteFile(filepath.Join(dir, "tmp/kept"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "tmp/dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "tmp/open"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("written, not closed")); err != nil {
		t.Fatal(err)
	}
	_ = child.Process.Kill()
	_ = child.Wait()
	f.Close()
	_ = syscall.Unmount(dir, syscall.MNT_DETACH)
	time.Sleep(10 * time.Millisecond)

	dir2 := mount(t, image, fusemount.Options{})
	got, err := os.ReadFile(filepath.Join(dir2, "tmp/kept"))
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("ReadFile(tmp/kept) = %d bytes, %v; want the %d written", len(got), err, len(data))
	}
	if fi, err := os.Stat(filepath.Join(dir2, "tmp/dir")); err != nil || !fi.IsDir() {
		t.Errorf("Stat(tmp/dir) = %v, want a directory", err)
	}
	if got, err := os.ReadFile(filepath.Join(dir2, "tmp/open")); err != nil || string(got) != "written, not closed" {
		t.Errorf("ReadFile(tmp/open) = %q, %v, want what was written", got, err)
	}
}
