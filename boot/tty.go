package boot

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mkos/mkos/drivers/memdev"
	"github.com/mkos/mkos/drivers/tty"
	ttyhw "github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/servers/pipe"
)

// The byte-stream services: the console (the tty driver and its UART),
// the memory devices and the pipe server.

// ConsoleConf is the console: section: a UART whose keyboard and screen
// are on the host, and its driver, the "tty" server (placed like any
// other; it need not be listed in Servers).
//
//	console:
//	  input: "echo hello\nexit\n"   # typed at the console, as a script
type ConsoleConf struct {
	// Input is what is typed at the console: a script, read as programs
	// read the console (see drivers/tty/hw). Empty types nothing.
	Input string `yaml:"input"`
	// ByteTime is the virtual time to move a byte in or out (1µs).
	ByteTime Duration `yaml:"byte_time"`

	// The host ends, set by the command line, not the file. In replaces
	// Input; nil Out discards the screen.
	In  io.Reader `yaml:"-"`
	Out io.Writer `yaml:"-"`
	// Interactive makes In a live terminal: read as keys are pressed,
	// with virtual time paced to the wall clock while the console waits;
	// the driver listens at all times, and the console keeps the run
	// alive until it hangs up (its session leader, init, exits).
	Interactive bool `yaml:"-"`
}

// newTTYDriver is the console driver, listening at all times on a live
// keyboard.
func newTTYDriver(c *Config) ipc.Server {
	return tty.New(tty.Options{Listen: c.Console != nil && c.Console.Interactive})
}

// newMemdev is the memory devices; random is seeded from the kernel's
// generator, so the boot seed decides its bytes.
func newMemdev(*Config) ipc.Server { return memdev.New(memdev.Options{}) }

// newPipe is the pipe server.
func newPipe(*Config) ipc.Server { return pipe.New(pipe.Options{}) }

// checkConsole checks the console: section, and that the tty driver is
// placed only with a console to drive.
func (c *Config) checkConsole() error {
	for i, s := range c.Servers {
		switch {
		case s.Name != streamproto.TTY:
		case c.Console == nil:
			return fmt.Errorf("servers[%d].name: %q needs a console: section, the UART it drives", i, s.Name)
		case s.Instances > 1:
			return fmt.Errorf("servers[%d].instances: %d console drivers would share one UART; the tty takes 1", i, s.Instances)
		}
	}
	if c.Console != nil && c.Console.ByteTime < 0 {
		return fmt.Errorf("console.byte_time: must not be negative")
	}
	return nil
}

// withConsole returns servers with the tty driver added when there is a
// console and the list does not place it.
func (c *Config) withConsole(servers []ServerConf) []ServerConf {
	listed := slices.ContainsFunc(servers, func(s ServerConf) bool { return s.Name == streamproto.TTY })
	if c.Console == nil || listed {
		return servers
	}
	return append(slices.Clip(servers), ServerConf{Name: streamproto.TTY})
}

// attachConsole makes the configured UART and attaches its receiver and
// transmitter to the tty service: their interrupts reach the driver
// wherever it is placed, and whichever instance is alive.
func (s *System) attachConsole() error {
	cc := s.Config.Console
	if cc == nil {
		return nil
	}
	in := cc.In
	if in == nil {
		in = strings.NewReader(cc.Input)
	}
	out := s.hostOut(cc.Out)
	if !cc.Interactive {
		in = s.hostIn(in) // a script is read by the UART's device model; a live keyboard by a pump of its own
	}
	u := ttyhw.New(ttyhw.Options{In: in, Out: out, Interactive: cc.Interactive, ByteNs: int64(cc.ByteTime)})
	if _, err := s.Kernel.Attach(u.Receiver(), streamproto.TTY, tty.RxIRQ); err != nil {
		u.Close()
		return err
	}
	if _, err := s.Kernel.Attach(u.Transmitter(), streamproto.TTY, tty.TxIRQ); err != nil {
		u.Close()
		return err
	}
	s.UART = u
	return nil
}
