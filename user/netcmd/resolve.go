package netcmd

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// HostsFile is where host names are looked up: lines of "ADDRESS NAME
// [ALIAS...]", '#' starting a comment, as /etc/hosts.
const HostsFile = "/etc/hosts"

// resolve returns the IPv4 address of host: a dotted address as it is,
// else the first line of /etc/hosts naming it; "localhost" is 127.0.0.1
// when the file does not say otherwise.
func (c *Cmd) resolve(host string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		if !a.Is4() {
			return netip.Addr{}, fmt.Errorf("%s: only IPv4 addresses are supported", host)
		}
		return a, nil
	}
	data, err := c.readFile(HostsFile)
	if err != nil && !isErrno(err, linux.ENOENT) {
		return netip.Addr{}, fmt.Errorf("%s: cannot read %s: %v", host, HostsFile, errText(err))
	}
	if a, ok := lookupHosts(string(data), host); ok {
		return a, nil
	}
	if host == "localhost" {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1}), nil
	}
	return netip.Addr{}, fmt.Errorf("%s: unknown host (not an address, not in %s)", host, HostsFile)
}

// lookupHosts finds name in the text of a hosts file.
func lookupHosts(text, name string) (netip.Addr, bool) {
	for line := range strings.Lines(text) {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil || !a.Is4() {
			continue
		}
		for _, n := range f[1:] {
			if strings.EqualFold(n, name) {
				return a, true
			}
		}
	}
	return netip.Addr{}, false
}

// hostName returns the first name /etc/hosts gives address a, or a
// itself.
func (c *Cmd) hostName(a netip.Addr) string {
	data, _ := c.readFile(HostsFile)
	for line := range strings.Lines(string(data)) {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == a.String() {
			return f[1]
		}
	}
	return a.String()
}

// readFile reads a whole file.
func (c *Cmd) readFile(path string) ([]byte, error) {
	fd, err := c.Open(path, linux.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer c.Close(fd)
	return io.ReadAll(fdReader{c.System, fd})
}

// fdReader reads from a descriptor; a read of 0 bytes is the end.
type fdReader struct {
	s  System
	fd int
}

func (r fdReader) Read(b []byte) (int, error) {
	n, err := r.s.Read(r.fd, b)
	if n == 0 && err == nil && len(b) > 0 {
		return 0, io.EOF
	}
	return n, err
}
