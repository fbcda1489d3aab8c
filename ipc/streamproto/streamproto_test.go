package streamproto

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestOpenArgsRoundTrip(t *testing.T) {
	m := openMessage("tty0", unix.O_RDWR)
	name, flags, err := OpenArgs(m)
	if err != nil || name != "tty0" || flags != unix.O_RDWR {
		t.Errorf("OpenArgs() = %q, %d, %v, want tty0, %d, nil", name, flags, err, unix.O_RDWR)
	}
	m.Len = 3
	if _, _, err := OpenArgs(m); err != unix.EINVAL {
		t.Errorf("OpenArgs(short) error = %v, want EINVAL", err)
	}
}
