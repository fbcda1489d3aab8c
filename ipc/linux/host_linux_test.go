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
		{"AF_INET", AF_INET, syscall.AF_INET}, {"AF_INET6", AF_INET6, syscall.AF_INET6},
		{"SOCK_STREAM", SOCK_STREAM, syscall.SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM, syscall.SOCK_DGRAM},
		{"SOCK_NONBLOCK", SOCK_NONBLOCK, syscall.SOCK_NONBLOCK}, {"SOCK_CLOEXEC", SOCK_CLOEXEC, syscall.SOCK_CLOEXEC},
		{"IPPROTO_TCP", IPPROTO_TCP, syscall.IPPROTO_TCP}, {"IPPROTO_UDP", IPPROTO_UDP, syscall.IPPROTO_UDP},
		{"IPPROTO_ICMP", IPPROTO_ICMP, syscall.IPPROTO_ICMP}, {"IPPROTO_ICMPV6", IPPROTO_ICMPV6, syscall.IPPROTO_ICMPV6},
		{"O_NONBLOCK", O_NONBLOCK, syscall.O_NONBLOCK}, {"MSG_DONTWAIT", MSG_DONTWAIT, syscall.MSG_DONTWAIT},
		{"MSG_PEEK", MSG_PEEK, syscall.MSG_PEEK}, {"MSG_NOSIGNAL", MSG_NOSIGNAL, syscall.MSG_NOSIGNAL},
		{"SHUT_RD", SHUT_RD, syscall.SHUT_RD}, {"SHUT_WR", SHUT_WR, syscall.SHUT_WR}, {"SHUT_RDWR", SHUT_RDWR, syscall.SHUT_RDWR},
	}
	for _, p := range pairs {
		if p.ours != p.its {
			t.Errorf("%s = %#x, want the host's %#x", p.name, p.ours, p.its)
		}
	}
}
