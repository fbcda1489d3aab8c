package streamproto

import (
	"github.com/mkos/mkos/ipc"
)

// The names the stream services register on the bus.
const (
	// TTY is the console driver. Its one stream is the console: Open it
	// with the name "" (or "console").
	TTY = "tty"
	// Memdev is the memory devices: the streams "null", "zero", "random"
	// and "full".
	Memdev = "memdev"
	// PipeService is the pipe server: Pipe makes a pipe; Open knows no
	// names.
	PipeService = "pipe"
)

// PipeBuf is the largest write to a pipe that is atomic: it is never
// interleaved with another writer's data (POSIX's PIPE_BUF).
const PipeBuf = 4096

// The console's Ioctl commands (Word(1)); Word(2) is the argument and the
// reply's Word(0) the result. Services other than the tty answer every
// command with ENOTTY, so a successful IoctlGetMode is isatty(3).
const (
	// IoctlGetMode returns the console's mode bits (ModeCanonical, …).
	IoctlGetMode uint64 = iota + 1
	// IoctlSetMode sets the mode bits and returns the old ones. Leaving
	// canonical mode hands the line being edited to readers as it is.
	IoctlSetMode
	// IoctlGetPgrp returns the foreground process group, 0 for none
	// (tcgetpgrp).
	IoctlGetPgrp
	// IoctlSetPgrp makes the argument (> 0) the foreground process group:
	// the group ^C, ^\ and ^Z signal (tcsetpgrp). The console does not
	// check that the group exists; pm does when it signals it.
	IoctlSetPgrp
	// IoctlHangup hangs the console up: it stops listening to the
	// keyboard, waiting and later reads return end of file, and writes
	// are still shown. The session that owns the console does this at
	// shutdown, so that the run can end.
	IoctlHangup
)

// The console's mode bits, a small termios: the defaults are
// ModeCooked, cfmakeraw(3) is ModeRaw.
const (
	// ModeCanonical edits lines (ICANON): a read returns at most one line,
	// erase (DEL, ^H), word erase (^W) and kill (^U) edit it, and ^D ends
	// a read early (on an empty line: end of file). Without it a read
	// returns the bytes typed so far, at least one.
	ModeCanonical uint64 = 1 << iota
	// ModeEcho shows what is typed (ECHO).
	ModeEcho
	// ModeSignals makes ^C, ^\ and ^Z send SIGINT, SIGQUIT and SIGTSTP to
	// the foreground process group (ISIG).
	ModeSignals
	// ModeCRToNL turns a typed carriage return into a newline (ICRNL): a
	// host terminal in raw mode sends CR for Enter.
	ModeCRToNL

	// ModeCooked is the console's mode at boot.
	ModeCooked = ModeCanonical | ModeEcho | ModeSignals | ModeCRToNL
	// ModeRaw passes every byte through unseen and unchanged.
	ModeRaw uint64 = 0
)

// Dial looks up the named stream service and returns a client of it.
func Dial(sys ipc.Sys, name string) (Client, error) {
	dst, err := ipc.Dial(sys, name)
	return Client{Sys: sys, Dst: dst}, err
}

// Mode returns the console's mode bits; ENOTTY when h is not a console.
func (c Client) Mode(h Handle) (uint64, error) { return c.Ioctl(h, IoctlGetMode, 0) }

// SetMode sets the console's mode bits and returns the old ones.
func (c Client) SetMode(h Handle, mode uint64) (uint64, error) {
	return c.Ioctl(h, IoctlSetMode, mode)
}

// Foreground returns the console's foreground process group.
func (c Client) Foreground(h Handle) (int, error) {
	g, err := c.Ioctl(h, IoctlGetPgrp, 0)
	return int(g), err
}

// SetForeground makes pgid the console's foreground process group.
func (c Client) SetForeground(h Handle, pgid int) error {
	_, err := c.Ioctl(h, IoctlSetPgrp, uint64(pgid))
	return err
}
