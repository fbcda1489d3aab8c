package linux

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestErrnoNumbersAndTexts(t *testing.T) {
	cases := []struct {
		name string
		e    Errno
		num  int
		text string
	}{
		{"EPERM", EPERM, 1, "operation not permitted"},
		{"ENOENT", ENOENT, 2, "no such file or directory"},
		{"EAGAIN", EAGAIN, 11, "resource temporarily unavailable"},
		{"EDEADLK", EDEADLK, 35, "resource deadlock avoided"},
		{"ENOSYS", ENOSYS, 38, "function not implemented"},
		{"ECONNRESET", ECONNRESET, 104, "connection reset by peer"},
		{"ETIMEDOUT", ETIMEDOUT, 110, "connection timed out"},
		{"EUCLEAN", EUCLEAN, 117, "structure needs cleaning"},
		{"EHWPOISON", EHWPOISON, 133, "memory page has hardware error"},
		{"unknown", Errno(999), 999, "errno 999"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if int(c.e) != c.num {
				t.Errorf("%s = %d, want %d", c.name, c.e, c.num)
			}
			if got := c.e.Error(); got != c.text {
				t.Errorf("Error() = %q, want %q", got, c.text)
			}
		})
	}
}

func TestErrnoNames(t *testing.T) {
	for e := Errno(1); int(e) < len(errnoTable); e++ {
		name := ErrnoName(e)
		if name == "" {
			if e != 41 && e != 58 { // the two holes of errno.h
				t.Errorf("ErrnoName(%d) = \"\", want a name", e)
			}
			continue
		}
		if got := ErrnoNum(name); got != e {
			t.Errorf("ErrnoNum(%q) = %d, want %d", name, got, e)
		}
	}
	aliases := []struct {
		name string
		want Errno
	}{{"EWOULDBLOCK", EAGAIN}, {"EDEADLOCK", EDEADLK}, {"ENOTSUP", EOPNOTSUPP}, {"EFSCORRUPTED", EUCLEAN}, {"ENOPE", 0}, {"", 0}}
	for _, a := range aliases {
		if got := ErrnoNum(a.name); got != a.want {
			t.Errorf("ErrnoNum(%q) = %d, want %d", a.name, got, a.want)
		}
	}
	if got := ErrnoName(Errno(4000)); got != "" {
		t.Errorf("ErrnoName(4000) = %q, want \"\"", got)
	}
}

func TestErrnoIs(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"wrapped errno", fmt.Errorf("open /x: %w", ENOENT), ENOENT, true},
		{"other errno", fmt.Errorf("open /x: %w", ENOENT), EIO, false},
		{"not exist", ENOENT, fs.ErrNotExist, true},
		{"exist", EEXIST, fs.ErrExist, true},
		{"permission", EACCES, fs.ErrPermission, true},
		{"eio is not not-exist", EIO, fs.ErrNotExist, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := errors.Is(c.err, c.target); got != c.want {
				t.Errorf("errors.Is(%v, %v) = %v, want %v", c.err, c.target, got, c.want)
			}
		})
	}
}

func TestSignals(t *testing.T) {
	cases := []struct {
		name string
		sig  Signal
		num  int
		text string
	}{
		{"SIGHUP", SIGHUP, 1, "hangup"},
		{"SIGKILL", SIGKILL, 9, "killed"},
		{"SIGUSR1", SIGUSR1, 10, "user defined signal 1"},
		{"SIGTERM", SIGTERM, 15, "terminated"},
		{"SIGSTKFLT", SIGSTKFLT, 16, "stack fault"},
		{"SIGCHLD", SIGCHLD, 17, "child exited"},
		{"SIGPWR", SIGPWR, 30, "power failure"},
		{"SIGSYS", SIGSYS, 31, "bad system call"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if int(c.sig) != c.num {
				t.Errorf("%s = %d, want %d", c.name, c.sig, c.num)
			}
			if got := c.sig.String(); got != c.text {
				t.Errorf("String() = %q, want %q", got, c.text)
			}
			if got := SignalName(c.sig); got != c.name {
				t.Errorf("SignalName(%d) = %q, want %q", c.num, got, c.name)
			}
			if got := SignalNum(c.name); got != c.sig {
				t.Errorf("SignalNum(%q) = %d, want %d", c.name, got, c.sig)
			}
		})
	}
	if got := Signal(40).String(); got != "signal 40" {
		t.Errorf("Signal(40).String() = %q, want \"signal 40\"", got)
	}
	if got := SignalNum("SIGNOPE"); got != 0 {
		t.Errorf("SignalNum(SIGNOPE) = %d, want 0", got)
	}
}

func TestWaitStatus(t *testing.T) {
	cases := []struct {
		name     string
		ws       WaitStatus
		exited   bool
		code     int
		signaled bool
		sig      Signal
		core     bool
	}{
		{"exit 0", 0, true, 0, false, -1, false},
		{"exit 3", 3 << 8, true, 3, false, -1, false},
		{"killed", WaitStatus(SIGKILL), false, -1, true, SIGKILL, false},
		{"segv with core", WaitStatus(SIGSEGV) | 0x80, false, -1, true, SIGSEGV, true},
		{"stopped", 0x7f | WaitStatus(SIGSTOP)<<8, false, -1, false, -1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.ws.Exited(); got != c.exited {
				t.Errorf("Exited() = %v, want %v", got, c.exited)
			}
			if got := c.ws.ExitStatus(); got != c.code {
				t.Errorf("ExitStatus() = %d, want %d", got, c.code)
			}
			if got := c.ws.Signaled(); got != c.signaled {
				t.Errorf("Signaled() = %v, want %v", got, c.signaled)
			}
			if got := c.ws.Signal(); got != c.sig {
				t.Errorf("Signal() = %d, want %d", got, c.sig)
			}
			if got := c.ws.CoreDump(); got != c.core {
				t.Errorf("CoreDump() = %v, want %v", got, c.core)
			}
		})
	}
}
