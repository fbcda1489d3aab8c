package streamproto

import (
	"testing"

	"github.com/mkos/mkos/ipc/linux"
)

func TestOpenArgsRoundTrip(t *testing.T) {
	m := openMessage("tty0", linux.O_RDWR)
	name, flags, err := OpenArgs(m)
	if err != nil || name != "tty0" || flags != linux.O_RDWR {
		t.Errorf("OpenArgs() = %q, %d, %v, want tty0, %d, nil", name, flags, err, linux.O_RDWR)
	}
	m.Len = 3
	if _, _, err := OpenArgs(m); err != linux.EINVAL {
		t.Errorf("OpenArgs(short) error = %v, want EINVAL", err)
	}
}
