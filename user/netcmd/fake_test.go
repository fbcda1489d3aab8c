package netcmd

import (
	"bytes"
	"errors"
	"net/netip"
	"path"
	"sort"
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
)

// fakeSys is a System with an in-memory file system and a scripted
// network in virtual time: remote services answer what a program sends,
// clients queued on a port wait for its accept, ICMP echo answers after
// a round trip unless lost. A call that would block for ever fails with
// errForever, so a test of a program that would hang fails instead.
type fakeSys struct {
	now      int64
	files    map[string][]byte
	fds      map[int]*fakeFd
	stdin    []byte
	stdout   bytes.Buffer
	stderr   bytes.Buffer
	latency  int64                                  // one way, for every delivery
	services map[netip.AddrPort]func([]byte) []byte // TCP: the request → the answer, then close
	streams  map[netip.AddrPort]func([]byte) []byte // TCP: each send → what comes back, connection open
	echoUDP  map[netip.AddrPort]bool                // UDP: echoes datagrams
	clients  map[uint16][]*fakeClient               // TCP clients that connect to a local port
	refuse   map[netip.AddrPort]error               // Connect fails so
	pingLost map[uint16]bool                        // echo requests by sequence that get no reply
	ifaces   []netproto.Interface
	socks    []netproto.SocketInfo
}

var errForever = errors.New("fake: the call would block for ever")

// fakeClient is a remote client: what it sends, and what it got.
type fakeClient struct {
	from   netip.AddrPort
	send   []byte
	silent bool // never closes its sending half
	got    bytes.Buffer
}

// chunk is inbound data, ready at a virtual time.
type chunk struct {
	at   int64
	data []byte
	from netip.AddrPort
	eof  bool
}

// fakeFd is an open descriptor: a file, the console, or a socket.
type fakeFd struct {
	path     string
	data     *[]byte
	off      int
	sock     bool
	typ      int
	proto    int
	local    netip.AddrPort
	peer     netip.AddrPort
	listen   bool
	in       []chunk
	service  func([]byte) []byte
	stream   func([]byte) []byte
	sent     []byte
	shutWr   bool
	client   *fakeClient
	accepted int
}

func newFake() *fakeSys {
	return &fakeSys{
		files:    map[string][]byte{},
		fds:      map[int]*fakeFd{0: {path: "<stdin>"}, 1: {path: "<stdout>"}, 2: {path: "<stderr>"}},
		latency:  50_000,
		services: map[netip.AddrPort]func([]byte) []byte{},
		echoUDP:  map[netip.AddrPort]bool{},
		streams:  map[netip.AddrPort]func([]byte) []byte{},
		clients:  map[uint16][]*fakeClient{},
		refuse:   map[netip.AddrPort]error{},
		pingLost: map[uint16]bool{},
	}
}

func (f *fakeSys) install(d *fakeFd) int {
	fd := 3
	for f.fds[fd] != nil {
		fd++
	}
	f.fds[fd] = d
	return fd
}

func (f *fakeSys) fd(fd int) (*fakeFd, error) {
	d, ok := f.fds[fd]
	if !ok {
		return nil, linux.EBADF
	}
	return d, nil
}

func (f *fakeSys) isDir(p string) bool {
	if p == "/" {
		return true
	}
	for name := range f.files {
		if strings.HasPrefix(name, p+"/") {
			return true
		}
	}
	return false
}

func (f *fakeSys) Open(p string, flags int, _ uint32) (int, error) {
	data, ok := f.files[p]
	switch {
	case !ok && flags&linux.O_CREAT == 0:
		return -1, linux.ENOENT
	case flags&linux.O_TRUNC != 0 || !ok:
		data = nil
	}
	f.files[p] = data
	d := &fakeFd{path: p}
	d.data = new([]byte)
	*d.data = data
	return f.install(d), nil
}

func (f *fakeSys) Read(fd int, b []byte) (int, error) {
	d, err := f.fd(fd)
	switch {
	case err != nil:
		return 0, err
	case fd == 0 && d.path == "<stdin>":
		n := copy(b, f.stdin)
		f.stdin = f.stdin[n:]
		return n, nil
	case d.sock:
		return f.Recv(fd, b)
	}
	n := copy(b, (*d.data)[d.off:])
	d.off += n
	return n, nil
}

func (f *fakeSys) Write(fd int, b []byte) (int, error) {
	d, err := f.fd(fd)
	switch {
	case err != nil:
		return 0, err
	case d.path == "<stdout>":
		return f.stdout.Write(b)
	case d.path == "<stderr>":
		return f.stderr.Write(b)
	case d.sock:
		return f.Send(fd, b)
	}
	*d.data = append(*d.data, b...)
	f.files[d.path] = *d.data
	return len(b), nil
}

func (f *fakeSys) Close(fd int) error {
	d, err := f.fd(fd)
	if err != nil {
		return err
	}
	if d.client != nil {
		d.client.got.Write(d.sent)
	}
	delete(f.fds, fd)
	return nil
}

func (f *fakeSys) Stat(p string) (fsproto.Attr, error) {
	if data, ok := f.files[p]; ok {
		return fsproto.Attr{Mode: linux.S_IFREG | 0o644, Size: int64(len(data))}, nil
	}
	if f.isDir(p) {
		return fsproto.Attr{Mode: linux.S_IFDIR | 0o755}, nil
	}
	return fsproto.Attr{}, linux.ENOENT
}

func (f *fakeSys) ReadDir(p string) ([]fsproto.DirEntry, error) {
	if !f.isDir(p) {
		return nil, linux.ENOTDIR
	}
	seen := map[string]uint8{}
	prefix := strings.TrimSuffix(p, "/") + "/"
	for name := range f.files {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			first, _, sub := strings.Cut(rest, "/")
			seen[first] = linux.DT_REG
			if sub {
				seen[first] = linux.DT_DIR
			}
		}
	}
	out := []fsproto.DirEntry{{Name: ".", Type: linux.DT_DIR}, {Name: "..", Type: linux.DT_DIR}}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, fsproto.DirEntry{Name: n, Type: seen[n]})
	}
	return out, nil
}

func (f *fakeSys) Now() int64 { return f.now }

func (f *fakeSys) Sleep(ns int64) error { f.now += ns; return nil }

func (f *fakeSys) Socket(domain, typ, proto int) (int, error) {
	if domain != linux.AF_INET {
		return -1, linux.EAFNOSUPPORT
	}
	return f.install(&fakeFd{sock: true, typ: typ, proto: proto}), nil
}

func (f *fakeSys) Bind(fd int, a netip.AddrPort) error {
	d, err := f.fd(fd)
	if err != nil {
		return err
	}
	for _, o := range f.fds {
		if o.sock && o.local.Port() == a.Port() && a.Port() != 0 {
			return linux.EADDRINUSE
		}
	}
	d.local = a
	if d.typ == linux.SOCK_DGRAM {
		for _, c := range f.clients[a.Port()] {
			d.in = append(d.in, chunk{at: f.now + f.latency, data: c.send, from: c.from})
		}
	}
	return nil
}

func (f *fakeSys) Listen(fd, _ int) error {
	d, err := f.fd(fd)
	if err != nil {
		return err
	}
	d.listen = true
	return nil
}

func (f *fakeSys) Accept(fd int) (int, netip.AddrPort, error) {
	d, err := f.fd(fd)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	queue := f.clients[d.local.Port()]
	if d.accepted >= len(queue) {
		return -1, netip.AddrPort{}, errForever
	}
	c := queue[d.accepted]
	d.accepted++
	f.now += f.latency
	conn := &fakeFd{sock: true, typ: linux.SOCK_STREAM, local: d.local, peer: c.from, client: c}
	if len(c.send) > 0 {
		conn.in = append(conn.in, chunk{at: f.now + f.latency, data: c.send})
	}
	if !c.silent {
		conn.in = append(conn.in, chunk{at: f.now + f.latency, eof: true})
	}
	return f.install(conn), c.from, nil
}

func (f *fakeSys) Connect(fd int, a netip.AddrPort) error {
	d, err := f.fd(fd)
	if err != nil {
		return err
	}
	if err := f.refuse[a]; err != nil {
		return err
	}
	d.peer, d.local = a, netip.MustParseAddrPort("10.0.0.1:49152")
	if d.typ == linux.SOCK_DGRAM {
		return nil
	}
	if st, ok := f.streams[a]; ok {
		f.now += 2 * f.latency
		d.stream = st
		return nil
	}
	svc, ok := f.services[a]
	if !ok {
		return linux.ECONNREFUSED
	}
	f.now += 2 * f.latency
	d.service = svc
	return nil
}

func (f *fakeSys) Send(fd int, b []byte) (int, error) {
	d, err := f.fd(fd)
	if err != nil {
		return 0, err
	}
	if d.typ == linux.SOCK_DGRAM {
		return f.SendTo(fd, b, d.peer)
	}
	if d.shutWr {
		return 0, linux.EPIPE
	}
	d.sent = append(d.sent, b...)
	if d.stream != nil {
		if out := d.stream(b); len(out) > 0 {
			d.in = append(d.in, chunk{at: f.now + 2*f.latency, data: out})
		}
	}
	if d.service != nil && bytes.Contains(d.sent, []byte("\r\n\r\n")) {
		f.answer(d)
	}
	return len(b), nil
}

// answer runs a remote service on what the socket sent: its answer, then
// the close, arrive a round trip later.
func (f *fakeSys) answer(d *fakeFd) {
	out := d.service(d.sent)
	d.service = nil
	at := f.now + 2*f.latency
	if len(out) > 0 {
		d.in = append(d.in, chunk{at: at, data: out})
	}
	d.in = append(d.in, chunk{at: at, eof: true})
}

func (f *fakeSys) Recv(fd int, b []byte) (int, error) {
	n, _, err := f.RecvFrom(fd, b)
	return n, err
}

func (f *fakeSys) SendTo(fd int, b []byte, a netip.AddrPort) (int, error) {
	d, err := f.fd(fd)
	if err != nil {
		return 0, err
	}
	switch {
	case d.proto == linux.IPPROTO_ICMP:
		seq := uint16(b[6])<<8 | uint16(b[7])
		if !f.pingLost[seq] && icmpChecksum(b) == 0 {
			reply := append([]byte(nil), b...)
			reply[0] = icmpEchoReply
			d.in = append(d.in, chunk{at: f.now + 2*f.latency, data: reply, from: a})
		}
	case d.client != nil || d.typ == linux.SOCK_DGRAM && !f.echoUDP[a]:
		d.sent = append(d.sent, b...)
	case d.typ == linux.SOCK_DGRAM:
		d.sent = append(d.sent, b...)
		d.in = append(d.in, chunk{at: f.now + 2*f.latency, data: bytes.ToUpper(b), from: a})
	}
	return len(b), nil
}

func (f *fakeSys) RecvFrom(fd int, b []byte) (int, netip.AddrPort, error) {
	d, err := f.fd(fd)
	if err != nil {
		return 0, netip.AddrPort{}, err
	}
	if len(d.in) == 0 {
		return 0, netip.AddrPort{}, errForever
	}
	c := &d.in[0]
	f.now = max(f.now, c.at)
	if c.eof {
		return 0, c.from, nil
	}
	n := copy(b, c.data)
	from := c.from
	if n == len(c.data) || d.typ == linux.SOCK_DGRAM {
		d.in = d.in[1:]
	} else {
		c.data = c.data[n:]
	}
	return n, from, nil
}

func (f *fakeSys) Shutdown(fd, how int) error {
	d, err := f.fd(fd)
	if err != nil {
		return err
	}
	if how == linux.SHUT_WR || how == linux.SHUT_RDWR {
		d.shutWr = true
		if d.service != nil {
			f.answer(d)
		}
	}
	return nil
}

func (f *fakeSys) SockName(fd int) (netip.AddrPort, error) {
	d, err := f.fd(fd)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return d.local, nil
}

func (f *fakeSys) PeerName(fd int) (netip.AddrPort, error) {
	d, err := f.fd(fd)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return d.peer, nil
}

// readyAt is when fd is ready for events, or -1 for never.
func (f *fakeSys) readyAt(p PollFd) int64 {
	d, ok := f.fds[p.Fd]
	switch {
	case !ok:
		return -1
	case p.Fd == 0 && d.path == "<stdin>":
		return f.now // the end of the input is ready too
	case !d.sock:
		return f.now
	case d.listen:
		if d.accepted < len(f.clients[d.local.Port()]) {
			return f.now
		}
		return -1
	case len(d.in) > 0:
		return max(d.in[0].at, f.now)
	}
	return -1
}

func (f *fakeSys) PollFds(fds []PollFd, timeoutNs int64) (int, error) {
	first := int64(-1)
	for _, p := range fds {
		if at := f.readyAt(p); at >= 0 && (first < 0 || at < first) {
			first = at
		}
	}
	switch {
	case first < 0 && timeoutNs < 0:
		return 0, errForever
	case first < 0 || timeoutNs >= 0 && first > f.now+timeoutNs:
		f.now += timeoutNs
		return 0, nil
	}
	f.now = first
	n := 0
	for i := range fds {
		fds[i].Revents = 0
		if at := f.readyAt(fds[i]); at >= 0 && at <= f.now {
			fds[i].Revents = linux.POLLIN
			n++
		}
	}
	return n, nil
}

func (f *fakeSys) Interfaces() ([]netproto.Interface, error) { return f.ifaces, nil }

func (f *fakeSys) NetSockets() ([]netproto.SocketInfo, error) { return f.socks, nil }

// file returns a file's text, for assertions.
func (f *fakeSys) file(p string) string { return string(f.files[path.Clean(p)]) }
