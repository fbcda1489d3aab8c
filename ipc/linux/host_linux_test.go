//go:build linux && (amd64 || arm64)

package linux

import (
	"syscall"
	"testing"
)

// TestTablesMatchLinuxHost checks, on a Linux host, that our tables give
// the same numbers and texts as the host's own: the tables are Linux's.
func TestTablesMatchLinuxHost(t *testing.T) {
	for e := 1; e < len(errnoTable); e++ {
		if errnoTable[e].name == "" {
			continue
		}
		if got, want := Errno(e).Error(), syscall.Errno(e).Error(); got != want && e != int(EHWPOISON) {
			t.Errorf("Errno(%d).Error() = %q, want %q", e, got, want)
		}
	}
	for s := 1; s < NSig; s++ {
		if got, want := Signal(s).String(), syscall.Signal(s).String(); got != want {
			t.Errorf("Signal(%d).String() = %q, want %q", s, got, want)
		}
	}
	pairs := []struct {
		name      string
		ours, its int
	}{
		{"O_CREAT", O_CREAT, syscall.O_CREAT}, {"O_EXCL", O_EXCL, syscall.O_EXCL},
		{"O_TRUNC", O_TRUNC, syscall.O_TRUNC}, {"O_APPEND", O_APPEND, syscall.O_APPEND},
		{"S_IFDIR", S_IFDIR, syscall.S_IFDIR}, {"S_IFLNK", S_IFLNK, syscall.S_IFLNK},
		{"DT_LNK", DT_LNK, syscall.DT_LNK}, {"WNOHANG", WNOHANG, syscall.WNOHANG},
	}
	for _, p := range pairs {
		if p.ours != p.its {
			t.Errorf("%s = %#x, want the host's %#x", p.name, p.ours, p.its)
		}
	}
}
