package hw

import (
	"io"
	"strings"
	"time"

	"github.com/mkos/mkos/ipc/linux"
)

// The receiver's operations (the Op of an ipc.DevRequest).
const (
	// OpWait completes when typed bytes wait in the FIFO; N is their
	// number, and Buf is not touched. It fails with ErrHangup once the
	// host input has ended and the FIFO is empty, and (live keyboard
	// only) with ErrIdle when nothing was typed during the wait.
	OpWait uint16 = iota + 1
	// OpRead moves up to len(Buf) bytes from the FIFO into Buf; N is how
	// many. It takes ByteNs per byte.
	OpRead
)

// OpWrite is the transmitter's operation: it shows Buf on the host
// screen, taking ByteNs per byte. A host write error completes it with
// EIO and N the bytes shown.
const OpWrite uint16 = 1

// The errnos of an OpWait completion.
const (
	// ErrIdle: nothing was typed during the wait; wait again.
	ErrIdle = linux.EAGAIN
	// ErrHangup: the host input has ended; nothing more will be typed.
	ErrHangup = linux.EPIPE
)

// Defaults of Options.
const (
	DefaultName      = "tty0"
	DefaultByteNs    = 1_000      // 1 MB/s: a fast serial line
	DefaultIdleNs    = 10_000_000 // 10 ms: one clock tick at 100 Hz
	DefaultFIFOBytes = 4096
)

// Options configure a UART. Zero fields take the defaults.
type Options struct {
	// Name is the UART's name (DefaultName); its devices are
	// RxName(Name) and TxName(Name).
	Name string
	// In is the keyboard: what the host types. Nil types nothing: the
	// first wait reports a hangup.
	In io.Reader
	// Out is the screen. Nil discards what is shown.
	Out io.Writer
	// Interactive makes In a live keyboard (see the package comment):
	// read by a host goroutine, with virtual time paced to the wall clock
	// while the driver waits for a key. Otherwise In is a script, read as
	// the driver asks for input.
	Interactive bool
	// ByteNs is the virtual time to move one byte in or out
	// (DefaultByteNs).
	ByteNs int64
	// IdleNs is how long a live wait with nothing typed lasts, in virtual
	// time and, at least, in wall time (DefaultIdleNs).
	IdleNs int64
	// FIFOBytes bounds the bytes a script chunk brings in at once
	// (DefaultFIFOBytes).
	FIFOBytes int
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.ByteNs <= 0 {
		o.ByteNs = DefaultByteNs
	}
	if o.IdleNs <= 0 {
		o.IdleNs = DefaultIdleNs
	}
	if o.FIFOBytes <= 0 {
		o.FIFOBytes = DefaultFIFOBytes
	}
	if o.In == nil {
		o.In = strings.NewReader("")
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return o
}

// RxName is the name of the receiver device of the UART named name.
func RxName(name string) string { return name + ".rx" }

// TxName is the name of the transmitter device of the UART named name.
func TxName(name string) string { return name + ".tx" }

// Stats are the UART's counters.
type Stats struct {
	BytesIn, BytesOut int64
	Waits             int64 // OpWait operations completed
	IdleWaits         int64 // of those, the ones that ended with ErrIdle
}

// UART is the simulated console. The kernel calls its devices, never
// concurrently; only the live keyboard's pump runs beside it, and it
// touches nothing but the keyboard's own locked queue.
type UART struct {
	opt   Options
	kb    keyboard
	fifo  []byte // typed, not yet read by the driver
	idle  time.Time
	stats Stats
	rx    *Receiver
	tx    *Transmitter
}

// New returns a UART on the host ends o names. With a live keyboard it
// starts the pump; Close stops it.
func New(o Options) *UART {
	o = o.withDefaults()
	u := &UART{opt: o}
	if o.Interactive {
		u.kb = newLiveKeyboard(o.In)
	} else {
		u.kb = newScriptKeyboard(o.In, o.FIFOBytes)
	}
	u.rx, u.tx = &Receiver{u: u}, &Transmitter{u: u}
	return u
}

// Receiver returns the UART's receive side, a kernel Device.
func (u *UART) Receiver() *Receiver { return u.rx }

// Transmitter returns the UART's transmit side, a kernel Device.
func (u *UART) Transmitter() *Transmitter { return u.tx }

// Name returns the UART's name.
func (u *UART) Name() string { return u.opt.Name }

// Stats returns the counters.
func (u *UART) Stats() Stats { return u.stats }

// Close stops the live keyboard's pump. A pump blocked in a read of a
// reader that is not a terminal ends when that reader ends.
func (u *UART) Close() error {
	u.kb.close()
	return nil
}
