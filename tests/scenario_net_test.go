package tests

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/user/ulib"
)

// sockets boots a system with a network (net: with defaults, the
// loopback) and runs a TCP echo over 127.0.0.1:7 between two programs,
// printing each socket call with its virtual time and result, netstat's
// view in the middle, and the restarts of the run:
//
//	sockets --mode micro [--crash]
//
// With --crash a third task crashes the net server once the connection
// carried its first message: the transcript shows what each program sees
// and the new connection after the restart.
func (s *scenario) sockets(args []string) (string, error) {
	fs := flag.NewFlagSet("sockets", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	crash := fs.Bool("crash", false, "")
	mode := fs.String("mode", "micro", "")
	if err := fs.Parse(args); err != nil {
		return "", fmt.Errorf("sockets: %w", err)
	}
	cfg := netConfig(boot.Mode(*mode))
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return "error: " + err.Error(), nil
	}
	defer sys.Close()
	var out strings.Builder
	logf := func(p *ulib.Proc, who, format string, a ...any) {
		fmt.Fprintf(&out, "[%10s] %s: %s\n", kernel.FormatNs(p.Sys.Now()), who, fmt.Sprintf(format, a...))
	}
	spawn := func(name string, body func(p *ulib.Proc)) error {
		_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: name, Body: func(s ipc.Sys) { body(ulib.New(s)) }})
		return err
	}
	addr := netip.MustParseAddrPort("127.0.0.1:7")
	if err := spawn("server", func(p *ulib.Proc) { scenarioEchoServer(p, addr, 2, logf) }); err != nil {
		return "", err
	}
	if err := spawn("client", func(p *ulib.Proc) { scenarioEchoClient(p, addr, *crash, logf) }); err != nil {
		return "", err
	}
	if *crash {
		if err := spawn("crasher", func(p *ulib.Proc) {
			_ = p.Sleep(3_000_000)
			logf(p, "crasher", "crash net: %v", errText(p.Sys.Inject(netproto.Name, ipc.InjectCrash, 0)))
			c, _ := netproto.Dial(p.Sys)
			_, err := c.Sockets()
			logf(p, "crasher", "the request the crash hits: %v", errText(err))
		}); err != nil {
			return "", err
		}
	}
	sum, runErr := sys.Run()
	for _, r := range sum.Restarts {
		fmt.Fprintf(&out, "restart at %s: %s %s → %s (%s)\n", kernel.FormatNs(r.TimeNs), r.Server, r.Old, r.New, r.Cause)
	}
	if runErr != nil {
		fmt.Fprintf(&out, "halted: %v\n", runErr)
	}
	return out.String(), nil
}

// errText is an error's name for a transcript: "ok" for none.
func errText(err error) string {
	if err == nil {
		return "ok"
	}
	if e, ok := err.(linux.Errno); ok {
		return linux.ErrnoName(e)
	}
	return err.Error()
}

type logFunc func(p *ulib.Proc, who, format string, a ...any)

// scenarioEchoServer listens on addr and echoes rounds connections, each
// to its end of file; a failed accept listens again on a new socket.
func scenarioEchoServer(p *ulib.Proc, addr netip.AddrPort, rounds int, logf logFunc) {
	listen := func() int {
		ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
		if err == nil {
			err = p.Bind(ls, addr)
		}
		if err == nil {
			err = p.Listen(ls, 4)
		}
		logf(p, "server", "listen %v: %s", addr, errText(err))
		return ls
	}
	ls := listen()
	for done := 0; done < rounds; {
		c, peer, err := p.Accept(ls)
		if err != nil {
			logf(p, "server", "accept: %s", errText(err))
			_ = p.Close(ls)
			ls = listen()
			continue
		}
		logf(p, "server", "accept: %v ok", peer)
		buf := make([]byte, 256)
		for {
			n, err := p.Read(c, buf)
			logf(p, "server", "read %q: %s", buf[:n], errText(err))
			if err != nil || n == 0 {
				break
			}
			_, err = p.Write(c, buf[:n])
			logf(p, "server", "write %q: %s", buf[:n], errText(err))
		}
		_ = p.Close(c)
		done++
	}
	_ = p.Close(ls)
}

// scenarioEchoClient makes two connections; on each it sends a line,
// reads it back and closes. With crash it waits on the first connection
// through the crash and writes to it again.
func scenarioEchoClient(p *ulib.Proc, addr netip.AddrPort, crash bool, logf logFunc) {
	for conn := 1; conn <= 2; conn++ {
		fd, err := dialRetry(p, addr)
		local, _ := p.SockName(fd)
		logf(p, "client", "connect %v from %v: %s", addr, local, errText(err))
		if err != nil {
			return
		}
		msg := fmt.Sprintf("hello %d", conn)
		_, err = p.Write(fd, []byte(msg))
		logf(p, "client", "write %q: %s", msg, errText(err))
		buf := make([]byte, 256)
		n, err := p.Read(fd, buf)
		logf(p, "client", "read %q: %s", buf[:n], errText(err))
		if conn == 1 {
			socks, _ := p.NetSockets()
			for _, s := range socks {
				remote := "*:*"
				if s.Remote.IsValid() {
					remote = s.Remote.String()
				}
				logf(p, "client", "netstat: %s %s %v %s handles %d", s.Proto, s.State, s.Local, remote, s.Handles)
			}
		}
		if crash && conn == 1 {
			_ = p.Sleep(5_000_000)
			_, err = p.Write(fd, []byte("after the crash"))
			logf(p, "client", "write after the crash: %s", errText(err))
		}
		err = p.Close(fd)
		logf(p, "client", "close: %s", errText(err))
	}
}
