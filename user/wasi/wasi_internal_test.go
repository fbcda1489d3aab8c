package wasi

import (
	"errors"
	"io"
	"io/fs"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	wsys "github.com/tetratelabs/wazero/experimental/sys"
)

func TestToErrno(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want wsys.Errno
	}{
		{"nil", nil, 0},
		{"end of file", io.EOF, 0},
		{"ENOENT", linux.ENOENT, wsys.ENOENT},
		{"wrapped EACCES", errors.Join(errors.New("open"), linux.EACCES), wsys.EACCES},
		{"ENOSPC has no WASI name in wazero", linux.ENOSPC, wsys.EIO},
		{"a restart's ESTALE", linux.ESTALE, wsys.EIO},
		{"not an errno", errors.New("odd"), wsys.EIO},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := toErrno(tc.err); got != tc.want {
				t.Errorf("toErrno(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestLinuxFlags(t *testing.T) {
	tests := []struct {
		name string
		in   wsys.Oflag
		want int
	}{
		{"read", wsys.O_RDONLY, linux.O_RDONLY},
		{"write create truncate", wsys.O_WRONLY | wsys.O_CREAT | wsys.O_TRUNC, linux.O_WRONLY | linux.O_CREAT | linux.O_TRUNC},
		{"read-write exclusive", wsys.O_RDWR | wsys.O_CREAT | wsys.O_EXCL, linux.O_RDWR | linux.O_CREAT | linux.O_EXCL},
		{"append no-follow", wsys.O_WRONLY | wsys.O_APPEND | wsys.O_NOFOLLOW, linux.O_WRONLY | linux.O_APPEND | linux.O_NOFOLLOW},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := linuxFlags(tc.in); got != tc.want {
				t.Errorf("linuxFlags(%v) = %#x, want %#x", tc.in, got, tc.want)
			}
		})
	}
}

func TestStatOf(t *testing.T) {
	tests := []struct {
		name string
		mode uint32
		want fs.FileMode
	}{
		{"file", linux.S_IFREG | 0o644, 0o644},
		{"directory", linux.S_IFDIR | 0o755, fs.ModeDir | 0o755},
		{"symlink", linux.S_IFLNK | 0o777, fs.ModeSymlink | 0o777},
		{"device", linux.S_IFCHR | 0o666, fs.ModeDevice | fs.ModeCharDevice | 0o666},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := statOf(fsproto.Attr{Ino: 9, Mode: tc.mode, Size: 5, Nlink: 2})
			if st.Mode != tc.want || st.Ino != 9 || st.Size != 5 || st.Nlink != 2 {
				t.Errorf("statOf(%#o) = %+v, want mode %v, ino 9, size 5, nlink 2", tc.mode, st, tc.want)
			}
		})
	}
}

func TestAbs(t *testing.T) {
	for rel, want := range map[string]string{".": "/", "": "/", "tmp/f": "/tmp/f", "a/../b": "/b", "../../etc": "/etc"} {
		if got := abs(rel); got != want {
			t.Errorf("abs(%q) = %q, want %q", rel, got, want)
		}
	}
}

func TestIsModule(t *testing.T) {
	for head, want := range map[string]bool{"\x00asm\x01\x00\x00\x00": true, "\x00asm": true, "\x00as": false, "#!/bin/sh": false, "": false} {
		if got := IsModule([]byte(head)); got != want {
			t.Errorf("IsModule(%q) = %v, want %v", head, got, want)
		}
	}
}

// fakeRand is a Sys whose Rand counts up; the rest is not called.
type fakeRand struct {
	ipc.Sys
	n uint64
}

func (f *fakeRand) Rand() uint64 { f.n++; return f.n }

func TestRandSourceFillsEveryByte(t *testing.T) {
	s := &fakeRand{}
	b := make([]byte, 11)
	n, err := randSource{s}.Read(b)
	if n != 11 || err != nil {
		t.Fatalf("Read() = %d, %v, want 11, nil", n, err)
	}
	want := []byte{1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0}
	if string(b) != string(want) || s.n != 2 {
		t.Errorf("Read() filled %v with %d draws, want %v with 2", b, s.n, want)
	}
}
