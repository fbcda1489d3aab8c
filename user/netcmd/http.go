package netcmd

import (
	"bytes"
	"errors"
	"fmt"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// What httpd and wget share of HTTP/1.0 and 1.1: reading a message's
// head (start line and header fields) from a socket with a time limit,
// and parsing it. Bodies are read to the Content-Length or the close.

// maxHead is the largest request or response head accepted.
const maxHead = 16 << 10

// errHeadTooLarge is a head past maxHead.
var errHeadTooLarge = errors.New("header too large")

// errTimedOut is a peer that sent nothing for the time limit.
var errTimedOut = errors.New("timed out")

// conn is a socket read through a buffer, each wait limited.
type conn struct {
	s         System
	fd        int
	timeoutNs int64 // per wait; negative: none
	buf       []byte
	eof       bool
}

// fill reads more from the socket into the buffer, waiting at most the
// time limit; at the end it sets eof.
func (c *conn) fill() error {
	fds := []PollFd{{Fd: c.fd, Events: linux.POLLIN}}
	n, err := c.s.PollFds(fds, c.timeoutNs)
	if err != nil {
		return err
	}
	if n == 0 {
		return errTimedOut
	}
	b := make([]byte, 16<<10)
	k, err := c.s.Recv(c.fd, b)
	if err != nil {
		return err
	}
	if k == 0 {
		c.eof = true
	}
	c.buf = append(c.buf, b[:k]...)
	return nil
}

// head reads up to the blank line that ends a message's head and returns
// the head's lines; what follows stays in the buffer.
func (c *conn) head() ([]string, error) {
	for {
		if i := bytes.Index(c.buf, []byte("\r\n\r\n")); i >= 0 {
			head := string(c.buf[:i])
			c.buf = c.buf[i+4:]
			return strings.Split(head, "\r\n"), nil
		}
		if i := bytes.Index(c.buf, []byte("\n\n")); i >= 0 { // bare newlines, as nc sends
			head := string(c.buf[:i])
			c.buf = c.buf[i+2:]
			return strings.Split(head, "\n"), nil
		}
		if len(c.buf) > maxHead {
			return nil, errHeadTooLarge
		}
		if c.eof {
			return nil, fmt.Errorf("connection closed after %d bytes of header", len(c.buf))
		}
		if err := c.fill(); err != nil {
			return nil, err
		}
	}
}

// header is a message's header fields, keys canonical.
type header map[string]string

// parseHeader parses header lines "Key: value".
func parseHeader(lines []string) (header, error) {
	h := header{}
	for _, l := range lines {
		k, v, ok := strings.Cut(strings.TrimRight(l, "\r"), ":")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, fmt.Errorf("malformed header line %q", l)
		}
		h[textproto.CanonicalMIMEHeaderKey(k)] = strings.TrimSpace(v)
	}
	return h, nil
}

// contentLength returns the Content-Length, or -1 when there is none.
func (h header) contentLength() (int64, error) {
	v, ok := h["Content-Length"]
	if !ok {
		return -1, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad Content-Length %q", v)
	}
	return n, nil
}

// statusText is the reason phrase of the statuses httpd sends.
var statusText = map[int]string{
	200: "OK",
	301: "Moved Permanently",
	400: "Bad Request",
	403: "Forbidden",
	404: "Not Found",
	408: "Request Timeout",
	500: "Internal Server Error",
	501: "Not Implemented",
	505: "HTTP Version Not Supported",
}

// contentTypes maps a file name's extension to its media type.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".htm":  "text/html; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".css":  "text/css",
	".js":   "text/javascript",
	".json": "application/json",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".svg":  "image/svg+xml",
	".wasm": "application/wasm",
}
