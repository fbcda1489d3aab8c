package ipc

import (
	"testing"

	"github.com/mkos/mkos/ipc/linux"
)

func TestReplyErr(t *testing.T) {
	set := Errnos{linux.ENOENT, linux.EIO}
	tests := []struct {
		name  string
		errno uint16
		want  error
	}{
		{"none", 0, nil},
		{"documented", uint16(linux.ENOENT), linux.ENOENT},
		{"the kernel's, passed on", uint16(ErrServiceDied), ErrServiceDied},
		{"undocumented", uint16(linux.ECHILD), ErrBadReply},
		{"not an errno at all", 60000, ErrBadReply},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := Message{Errno: tc.errno}
			if got := ReplyErr(&rep, set); got != tc.want {
				t.Errorf("ReplyErr() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		name   string
		w      uint64
		most   int
		want   int
		wantOK bool
	}{
		{"zero", 0, 8, 0, true},
		{"the most", 8, 8, 8, true},
		{"one past", 9, 8, 0, false},
		{"^0, which int() makes -1", ^uint64(0), 8, 0, false},
		{"1<<63, which int() makes negative", 1 << 63, MaxBulk, 0, false},
		{"a negative most", 0, -1, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Count(tc.w, tc.most)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Count(%#x, %d) = %d, %v, want %d, %v", tc.w, tc.most, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
