package fsproto_test

import (
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzClient runs every stub of the client against a fake server that
// answers garbage made of the fuzzer's bytes (kerneltest.Garbage): no stub
// may panic, and every errno a stub returns must be one the protocol
// documents (Errnos, or the kernel's ipc.CallErrnos) — EIO for a reply it
// cannot believe.
//
//	go test ./ipc/fsproto -run '^$' -fuzz FuzzClient -fuzztime 20s
func FuzzClient(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 31, 31, 31, 31, 31, 31, 255, 255})
	f.Add([]byte{0, 8, 8, 8, 8, 8, 8, 0, 4, 0, 28, 3, 2, 1, 0, 0, 0, 1})
	f.Add([]byte{0, 0x82, 0x80, 0x81, 0x80, 0x80, 0x80, 0, 1, 5, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 9, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := kerneltest.Stub(fsproto.Name, fsproto.Errnos, data, calls); err != nil {
			t.Fatal(err)
		}
	})
}

// calls uses every stub once.
var calls = []func(sys ipc.Sys) error{
	func(sys ipc.Sys) error { _, err := fs(sys).Open("/a", linux.O_RDWR, 0); return err },
	func(sys ipc.Sys) error { return fs(sys).Chown("/a", 1000, fsproto.KeepID) },
	func(sys ipc.Sys) error { return fs(sys).Access("/a", fsproto.AccessR|fsproto.AccessX) },
	func(sys ipc.Sys) error {
		return fs(sys).AccessAs("/a", fsproto.AccessW, ipc.Cred{UID: 1000, GID: 1000})
	},
	func(sys ipc.Sys) error { _, err := fs(sys).Create("/a", 0o644); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).Read(3, make([]byte, 100)); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).Pread(3, make([]byte, 100), 5); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).ReadFile("/a"); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).Write(3, make([]byte, 70000)); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).Pwrite(3, []byte("xyz"), 9); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).Seek(3, 1, 0); return err },
	func(sys ipc.Sys) error { return fs(sys).Close(3) },
	func(sys ipc.Sys) error { return fs(sys).Fsync(3) },
	func(sys ipc.Sys) error { return fs(sys).Ftruncate(3, 10) },
	func(sys ipc.Sys) error { _, err := fs(sys).Fstat(3); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).Stat("/a"); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).Lstat("/a"); return err },
	func(sys ipc.Sys) error { return fs(sys).Mkdir("/d", 0o755) },
	func(sys ipc.Sys) error { return fs(sys).Rmdir("/d") },
	func(sys ipc.Sys) error { return fs(sys).Unlink("/a") },
	func(sys ipc.Sys) error { return fs(sys).Rename("/a", "/b") },
	func(sys ipc.Sys) error { return fs(sys).Link("/a", "/b") },
	func(sys ipc.Sys) error { return fs(sys).Symlink("/a", "/b") },
	func(sys ipc.Sys) error { _, err := fs(sys).Readlink("/b"); return err },
	func(sys ipc.Sys) error { return fs(sys).Truncate("/a", 3) },
	func(sys ipc.Sys) error { return fs(sys).Chmod("/a", 0o600) },
	func(sys ipc.Sys) error { return fs(sys).Sync() },
	func(sys ipc.Sys) error { return fs(sys).Release() },
	func(sys ipc.Sys) error { _, err := fs(sys).Statfs(); return err },
	func(sys ipc.Sys) error { _, err := fs(sys).ReadDir("/"); return err },
	func(sys ipc.Sys) error {
		return fs(sys).ReadDirStreamed("/", func(fsproto.DirEntry) bool { return true })
	},
	func(sys ipc.Sys) error {
		f, err := fs(sys).Follow(3, 0)
		if err != nil {
			return err
		}
		_, err = f.Next()
		return err
	},
}

// fs is a client of the fake file server.
func fs(sys ipc.Sys) fsproto.Client {
	c, _ := fsproto.Dial(sys)
	return c
}
