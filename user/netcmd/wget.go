package netcmd

import (
	"fmt"
	"net/netip"
	"path"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// wget's exit statuses, as GNU wget's.
const (
	wgetOK      = 0
	wgetFailed  = 1
	wgetUsage   = 2
	wgetFileErr = 3
	wgetNetwork = 4
	wgetServer  = 8
)

// wget [-q] [-O FILE] [-T SECS] URL (also fetch) gets an http:// URL
// with HTTP/1.0 and writes the body to FILE ("-" is the standard
// output), by default to the URL's last path element (index.html when
// there is none). It reports on the standard error as GNU wget does
// (-q: only errors). -T limits each wait for the server (30 s). The
// status is 0, 4 for a network failure (refused, reset, timed out,
// closed early), 8 when the server answered with an error, 3 when the
// file cannot be written, 2 for usage.
func wget(c *Cmd, args []string) int {
	const usage = "[-q] [-O FILE] [-T SECS] URL"
	opts, rest, err := options(args, "qO:T:")
	if err != nil || len(rest) != 1 {
		c.usage(usage)
		return wgetUsage
	}
	g := &getter{Cmd: c, quiet: has(opts, 'q'), timeoutNs: 30e9}
	if v, ok := opts['T']; ok {
		if g.timeoutNs, err = seconds(v); err != nil || g.timeoutNs == 0 {
			c.errorf("invalid timeout %q", v)
			return wgetUsage
		}
	}
	u, err := parseURL(rest[0])
	if err != nil {
		c.errorf("%s: %v", rest[0], err)
		return wgetUsage
	}
	out, ok := opts['O']
	if !ok {
		out = path.Base(u.path)
		if out == "/" || out == "." || strings.HasSuffix(u.path, "/") {
			out = "index.html"
		}
	}
	return g.get(u, out)
}

// httpURL is a parsed http:// URL.
type httpURL struct {
	host string
	port uint16
	path string // with the query
}

// parseURL parses "http://HOST[:PORT][/PATH]"; a URL without a scheme is
// taken as http.
func parseURL(s string) (httpURL, error) {
	rest := s
	if scheme, r, ok := strings.Cut(s, "://"); ok {
		if scheme != "http" {
			return httpURL{}, fmt.Errorf("unsupported scheme %q (only http)", scheme)
		}
		rest = r
	}
	hostport, p, _ := strings.Cut(rest, "/")
	u := httpURL{host: hostport, port: 80, path: "/" + p}
	if h, ps, ok := strings.Cut(hostport, ":"); ok {
		n, err := port(ps, false)
		if err != nil {
			return httpURL{}, err
		}
		u.host, u.port = h, n
	}
	if u.host == "" {
		return httpURL{}, fmt.Errorf("no host")
	}
	return u, nil
}

// getter is one wget run.
type getter struct {
	*Cmd
	quiet     bool
	timeoutNs int64
}

// note writes a progress line to the standard error, unless -q.
func (g *getter) note(format string, args ...any) {
	if !g.quiet {
		_, _ = writeAll(g.System, 2, []byte(fmt.Sprintf(format, args...)+"\n"))
	}
}

// get fetches u into the file out.
func (g *getter) get(u httpURL, out string) int {
	addr, err := g.resolve(u.host)
	if err != nil {
		g.errorf("%v", err)
		return wgetNetwork
	}
	fd, err := g.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		g.errorf("socket: %s", errText(err))
		return wgetNetwork
	}
	defer g.Close(fd)
	where := fmt.Sprintf("%s (%s):%d", u.host, addr, u.port)
	if err := g.Connect(fd, netip.AddrPortFrom(addr, u.port)); err != nil {
		g.errorf("connecting to %s failed: %s", where, errText(err))
		return wgetNetwork
	}
	g.note("Connecting to %s... connected.", where)
	req := fmt.Sprintf("GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: mkos-wget\r\nAccept: */*\r\nConnection: close\r\n\r\n", u.path, u.host)
	if _, err := sendAll(g.System, fd, []byte(req)); err != nil {
		g.errorf("sending the request to %s: %s", where, errText(err))
		return wgetNetwork
	}
	cn := &conn{s: g.System, fd: fd, timeoutNs: g.timeoutNs}
	status, reason, h, err := readResponseHead(cn)
	if err != nil {
		g.errorf("reading the response from %s: %s", where, errText(err))
		return wgetNetwork
	}
	g.note("HTTP request sent, awaiting response... %d %s", status, reason)
	if status/100 != 2 {
		g.errorf("%s: server answered %d %s", u.host+u.path, status, reason)
		return wgetServer
	}
	return g.body(cn, h, out, where)
}

// readResponseHead reads and parses the status line and header.
func readResponseHead(cn *conn) (int, string, header, error) {
	lines, err := cn.head()
	if err != nil {
		return 0, "", nil, err
	}
	f := strings.SplitN(lines[0], " ", 3)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/1.") {
		return 0, "", nil, fmt.Errorf("malformed status line %q", lines[0])
	}
	status, err := strconv.Atoi(f[1])
	if err != nil || status < 100 || status > 999 {
		return 0, "", nil, fmt.Errorf("malformed status line %q", lines[0])
	}
	h, err := parseHeader(lines[1:])
	if err != nil {
		return 0, "", nil, err
	}
	reason := ""
	if len(f) == 3 {
		reason = f[2]
	}
	return status, reason, h, nil
}

// body reads the response's body to its length or the close, and writes
// it to out.
func (g *getter) body(cn *conn, h header, out, where string) int {
	length, err := h.contentLength()
	if err != nil {
		g.errorf("%s: %v", where, err)
		return wgetNetwork
	}
	if length >= 0 {
		g.note("Length: %d [%s]", length, h["Content-Type"])
	} else {
		g.note("Length: unspecified [%s]", h["Content-Type"])
	}
	for !cn.eof && (length < 0 || int64(len(cn.buf)) < length) {
		if err := cn.fill(); err != nil {
			g.errorf("reading from %s at byte %d: %s", where, len(cn.buf), errText(err))
			return wgetNetwork
		}
	}
	data := cn.buf
	if length >= 0 {
		if int64(len(data)) < length {
			g.errorf("%s closed the connection at byte %d of %d", where, len(data), length)
			return wgetNetwork
		}
		data = data[:length]
	}
	if out == "-" {
		if _, err := writeAll(g.System, 1, data); err != nil {
			g.errorf("write: %s", errText(err))
			return wgetFileErr
		}
		return wgetOK
	}
	g.note("Saving to: '%s'", out)
	if err := g.writeFile(out, data); err != nil {
		g.errorf("%s: %s", out, errText(err))
		return wgetFileErr
	}
	g.note("'%s' saved [%d/%d]", out, len(data), max(length, int64(len(data))))
	return wgetOK
}

// writeFile creates (or truncates) file name and writes data to it.
func (c *Cmd) writeFile(name string, data []byte) error {
	fd, err := c.Open(name, linux.O_WRONLY|linux.O_CREAT|linux.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := writeAll(c.System, fd, data); err != nil {
		c.Close(fd)
		return err
	}
	return c.Close(fd)
}
