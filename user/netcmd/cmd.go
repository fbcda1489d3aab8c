package netcmd

import (
	"bufio"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/user/ulib"
)

// programs is the table of network programs: name → main. Each lives in
// the file of its name.
var programs = map[string]program{
	"fetch":    wget,
	"httpd":    httpd,
	"ifconfig": ifconfig,
	"ip":       ip,
	"nc":       nc,
	"netstat":  netstat,
	"pcapstat": pcapStat,
	"tcpbench": tcpbench,
	"ping":     ping,
	"wget":     wget,
}

// Names returns the programs' names, sorted, for listings and tests.
func Names() []string {
	names := make([]string, 0, len(programs))
	for n := range programs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// program is a program's main: it gets its arguments (without argv[0])
// and returns its status.
type program func(c *Cmd, args []string) int

// Cmd is a running network program: its system, its buffered standard
// output, and the status its failures set.
type Cmd struct {
	System
	Out    *bufio.Writer
	name   string
	status int
}

// Run runs network program name with args (without argv[0]) on sys and
// returns its status: 127 when there is no such program.
func Run(sys System, name string, args []string) int {
	m, ok := programs[name]
	if !ok {
		return 127
	}
	c := &Cmd{System: sys, name: name, Out: bufio.NewWriter(fdWriter{sys, 1})}
	status := m(c, args)
	if err := c.Out.Flush(); err != nil {
		c.errorf("write error: %v", err)
	}
	return max(status, c.status)
}

// fdWriter writes to a descriptor.
type fdWriter struct {
	s  System
	fd int
}

func (w fdWriter) Write(b []byte) (int, error) { return writeAll(w.s, w.fd, b) }

// writeAll writes all of b to fd, in as many writes as it takes.
func writeAll(s System, fd int, b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, err := s.Write(fd, b[done:])
		done += n
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, fmt.Errorf("short write")
		}
	}
	return done, nil
}

// printf writes to the standard output.
func (c *Cmd) printf(format string, args ...any) { fmt.Fprintf(c.Out, format, args...) }

// errorf writes "NAME: MESSAGE" to the standard error and makes the
// status 1.
func (c *Cmd) errorf(format string, args ...any) {
	_ = c.Out.Flush()
	_, _ = writeAll(c.System, 2, []byte(c.name+": "+fmt.Sprintf(format, args...)+"\n"))
	c.status = max(c.status, 1)
}

// usage reports a usage error and returns 2.
func (c *Cmd) usage(text string) int {
	c.errorf("usage: %s %s", c.name, text)
	return 2
}

// options parses leading options (ulib.Getopt).
func options(args []string, spec string) (map[byte]string, []string, error) {
	return ulib.Getopt(args, spec)
}

// has reports whether option o was given.
func has(opts map[byte]string, o byte) bool {
	_, ok := opts[o]
	return ok
}

// seconds parses a duration given in seconds ("1", "0.2") or with a Go
// unit ("200ms") into nanoseconds.
func seconds(s string) (int64, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 {
		return int64(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid time %q", s)
	}
	return int64(d), nil
}

// port parses a port number, 1 to 65535 (0 too when zeroOK).
func port(s string, zeroOK bool) (uint16, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 65535 || (n == 0 && !zeroOK) {
		return 0, fmt.Errorf("invalid port %q", s)
	}
	return uint16(n), nil
}

// msString renders nanoseconds as milliseconds with three decimals, as
// ping prints times.
func msString(ns int64) string { return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) }

// Dir is where the network programs are: /bin/NAME.
const Dir = "/bin"

// Programs returns the network programs by path, for pm's program table
// (user/programs.Bin).
func Programs() map[string]pmproto.Program {
	out := make(map[string]pmproto.Program, len(programs))
	for name := range programs {
		out[Dir+"/"+name] = ulib.Main(func(p *ulib.Proc, argv, _ []string) int {
			return Run(Proc{p}, name, argv[min(1, len(argv)):])
		})
	}
	return out
}

var _ System = Proc{} // the system-call library has every call the programs make

// Summaries are one line about each network program, for help.
var Summaries = map[string]string{
	"fetch":    "get a URL over HTTP (as wget)",
	"httpd":    "serve files over HTTP",
	"ifconfig": "show the network interfaces",
	"ip":       "show the interfaces and their addresses: ip addr",
	"nc":       "netcat: TCP or UDP between the terminal and a socket",
	"netstat":  "list the sockets (-i: the interfaces)",
	"pcapstat": "measure the TCP flows of a packet capture",
	"ping":     "send ICMP echo requests and time the replies",
	"tcpbench": "measure TCP throughput and latency between two machines",
	"wget":     "get a URL over HTTP into a file",
}
