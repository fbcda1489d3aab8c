package netcmd

import (
	"fmt"
	"html"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// httpd [-p PORT] [-n COUNT] [-t SECS] [DIR] serves the files under DIR
// (the working directory's root "/" by default) over HTTP/1.0 and 1.1 on
// PORT (80): GET and HEAD, a directory's index.html or else a listing,
// 404 for what is not there, 501 for other methods. It serves one
// connection at a time, one request each (Connection: close), and logs
// a line per request on the standard output. -n ends it after COUNT
// connections; -t is how long a client may take to send its request
// (10 s) before it gets 408.
func httpd(c *Cmd, args []string) int {
	const usage = "[-p PORT] [-n COUNT] [-t SECS] [DIR]"
	opts, rest, err := options(args, "p:n:t:")
	if err != nil || len(rest) > 1 {
		return c.usage(usage)
	}
	h := &server{Cmd: c, root: "/", port: 80, timeoutNs: 10e9}
	if len(rest) == 1 {
		h.root = rest[0]
	}
	if v, ok := opts['p']; ok {
		if h.port, err = port(v, false); err != nil {
			c.errorf("%v", err)
			return 2
		}
	}
	count := -1
	if v, ok := opts['n']; ok {
		if count, err = strconv.Atoi(v); err != nil || count < 1 {
			c.errorf("invalid count %q", v)
			return 2
		}
	}
	if v, ok := opts['t']; ok {
		if h.timeoutNs, err = seconds(v); err != nil {
			c.errorf("%v", err)
			return 2
		}
	}
	if a, err := c.Stat(h.root); err != nil || !a.IsDir() {
		c.errorf("%s: not a directory", h.root)
		return 1
	}
	return h.serve(count)
}

// server is one httpd run.
type server struct {
	*Cmd
	root      string
	port      uint16
	timeoutNs int64
}

// serve listens and serves count connections (negative: for ever).
func (h *server) serve(count int) int {
	fd, err := h.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		h.errorf("socket: %s", errText(err))
		return 1
	}
	defer h.Close(fd)
	if err := h.Bind(fd, netip.AddrPortFrom(netip.IPv4Unspecified(), h.port)); err != nil {
		h.errorf("bind to port %d: %s", h.port, errText(err))
		return 1
	}
	if err := h.Listen(fd, 16); err != nil {
		h.errorf("listen on port %d: %s", h.port, errText(err))
		return 1
	}
	for served := 0; count < 0 || served < count; served++ {
		conn, from, err := h.Accept(fd)
		if err != nil {
			h.errorf("accept on port %d: %s", h.port, errText(err))
			return 1
		}
		h.handle(conn, from)
		h.Close(conn)
	}
	return 0
}

// request is what httpd reads of a request.
type request struct {
	method, target, version string
}

// handle serves one connection's request.
func (h *server) handle(fd int, from netip.AddrPort) {
	cn := &conn{s: h.System, fd: fd, timeoutNs: h.timeoutNs}
	lines, err := cn.head()
	var req request
	status := 0
	switch {
	case err == errTimedOut:
		status = 408
	case err != nil:
		h.log("%s: reading the request: %s", from, errText(err))
		return
	default:
		req, status = parseRequest(lines)
	}
	var sent int64
	if status == 0 {
		status, sent = h.respond(fd, req)
	} else {
		sent = h.sendError(fd, req, status)
	}
	h.printf("%s \"%s %s %s\" %d %d\n", from, req.method, req.target, req.version, status, sent)
	_ = h.Out.Flush()
}

// parseRequest parses the request line and checks the header; a non-zero
// status is the error to answer with.
func parseRequest(lines []string) (request, int) {
	f := strings.Fields(lines[0])
	if len(f) != 3 || !strings.HasPrefix(f[2], "HTTP/") {
		return request{}, 400
	}
	req := request{method: f[0], target: f[1], version: f[2]}
	if req.version != "HTTP/1.0" && req.version != "HTTP/1.1" {
		return req, 505
	}
	if _, err := parseHeader(lines[1:]); err != nil {
		return req, 400
	}
	if req.method != "GET" && req.method != "HEAD" {
		return req, 501
	}
	if !strings.HasPrefix(req.target, "/") {
		return req, 400
	}
	return req, 0
}

// respond answers a well-formed GET or HEAD; it returns the status and
// the body bytes sent.
func (h *server) respond(fd int, req request) (int, int64) {
	p, _, _ := strings.Cut(req.target, "?")
	p, err := url.PathUnescape(p)
	if err != nil {
		return 400, h.sendError(fd, req, 400)
	}
	clean := path.Clean("/" + p)
	name := path.Join(h.root, clean)
	a, err := h.Stat(name)
	if err == nil && a.IsDir() {
		if !strings.HasSuffix(p, "/") {
			return 301, h.send(fd, req, 301, "text/html; charset=utf-8", []byte(""), "Location: "+clean+"/\r\n")
		}
		if ia, err := h.Stat(path.Join(name, "index.html")); err == nil && !ia.IsDir() {
			name, a = path.Join(name, "index.html"), ia
		} else {
			return h.listing(fd, req, name, strings.TrimSuffix(clean, "/")+"/")
		}
	}
	if err != nil {
		return errStatus(err), h.sendError(fd, req, errStatus(err))
	}
	data, err := h.readFile(name)
	if err != nil {
		return errStatus(err), h.sendError(fd, req, errStatus(err))
	}
	return 200, h.send(fd, req, 200, contentType(name), data, "")
}

// errStatus maps a file error to an HTTP status.
func errStatus(err error) int {
	switch {
	case isErrno(err, linux.ENOENT), isErrno(err, linux.ENOTDIR):
		return 404
	case isErrno(err, linux.EACCES), isErrno(err, linux.EPERM):
		return 403
	}
	return 500
}

// listing answers with an HTML list of directory dir's entries.
func (h *server) listing(fd int, req request, dir, shown string) (int, int64) {
	ents, err := h.ReadDir(dir)
	if err != nil {
		return errStatus(err), h.sendError(fd, req, errStatus(err))
	}
	var b strings.Builder
	title := html.EscapeString("Index of " + shown)
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><title>%s</title></head><body>\n<h1>%s</h1>\n<ul>\n", title, title)
	for _, e := range ents {
		if e.Name == "." || e.Name == ".." {
			continue
		}
		n := e.Name
		if e.Type == linux.DT_DIR {
			n += "/"
		}
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", (&url.URL{Path: n}).EscapedPath(), html.EscapeString(n))
	}
	b.WriteString("</ul>\n</body></html>\n")
	return 200, h.send(fd, req, 200, "text/html; charset=utf-8", []byte(b.String()), "")
}

// sendError answers with status and a short HTML page saying it.
func (h *server) sendError(fd int, req request, status int) int64 {
	body := fmt.Sprintf("<!DOCTYPE html>\n<html><body><h1>%d %s</h1></body></html>\n", status, statusText[status])
	return h.send(fd, req, status, "text/html; charset=utf-8", []byte(body), "")
}

// send writes a response: the status line, the header (extra is more
// header lines, each ending in CRLF) and, but for HEAD, the body. It
// returns the body bytes sent.
func (h *server) send(fd int, req request, status int, ctype string, body []byte, extra string) int64 {
	version := req.version
	if version != "HTTP/1.0" && version != "HTTP/1.1" {
		version = "HTTP/1.0"
	}
	head := fmt.Sprintf("%s %d %s\r\nServer: mkos-httpd\r\nContent-Type: %s\r\nContent-Length: %d\r\n%sConnection: close\r\n\r\n",
		version, status, statusText[status], ctype, len(body), extra)
	out := []byte(head)
	if req.method != "HEAD" {
		out = append(out, body...)
	}
	n, err := sendAll(h.System, fd, out)
	if err != nil {
		h.log("sending to the client: %s", errText(err))
	}
	return max(int64(n-len(head)), 0)
}

// contentType is the media type of a file by its name's extension.
func contentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// log writes "httpd: MESSAGE" to the standard error: a client's trouble,
// which is not the server's failure.
func (h *server) log(format string, args ...any) {
	_ = h.Out.Flush()
	_, _ = writeAll(h.System, 2, []byte(h.name+": "+fmt.Sprintf(format, args...)+"\n"))
}
