package netcmd

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/mkos/mkos/internal/pcapstat"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/stretchr/testify/assert"
)

func TestPing(t *testing.T) {
	runCases(t, []progCase{
		{name: "three replies", args: []string{"ping", "-c", "3", "host2"}, status: 0, stdout: "" +
			"PING host2 (10.0.0.2) 56(84) bytes of data.\n" +
			"64 bytes from 10.0.0.2: icmp_seq=1 time=0.100 ms\n" +
			"64 bytes from 10.0.0.2: icmp_seq=2 time=0.100 ms\n" +
			"64 bytes from 10.0.0.2: icmp_seq=3 time=0.100 ms\n" +
			"\n--- host2 ping statistics ---\n" +
			"3 packets transmitted, 3 received, 0% packet loss, time 2000ms\n" +
			"rtt min/avg/max/mdev = 0.100/0.100/0.100/0.000 ms\n"},
		{name: "one lost", setup: func(f *fakeSys) { f.pingLost[2] = true }, args: []string{"ping", "-c", "3", "-i", "0.5", "10.0.0.2"},
			status: 0, has: []string{"icmp_seq=1 ", "icmp_seq=3 ", "3 packets transmitted, 2 received, 33% packet loss, time 2000ms"}},
		{name: "all lost waits -W", setup: func(f *fakeSys) { f.pingLost[1], f.pingLost[2] = true, true },
			args: []string{"ping", "-c", "2", "-W", "2", "host2"}, status: 1,
			has: []string{"2 packets transmitted, 0 received, 100% packet loss, time 3000ms\n"}},
		{name: "latency is virtual", setup: func(f *fakeSys) { f.latency = 1_250_000 }, args: []string{"ping", "-c", "1", "host2"},
			has: []string{"icmp_seq=1 time=2.500 ms", "rtt min/avg/max/mdev = 2.500/2.500/2.500/0.000 ms"}},
	})
	assert.Zero(t, icmpChecksum([]byte{0x08, 0, 0xf7, 0xff}), "icmpChecksum of a message with its checksum")
}

func TestNc(t *testing.T) {
	upper := func(in []byte) []byte { return []byte(strings.ToUpper(string(in))) }
	runCases(t, []progCase{
		{name: "client sends stdin and prints the answer", setup: func(f *fakeSys) {
			f.stdin = []byte("hello\r\n\r\n")
			f.services[ap("10.0.0.2:7")] = upper
		}, args: []string{"nc", "host2", "7"}, stdout: "HELLO\r\n\r\n"},
		{name: "end of input shuts the sending half", setup: func(f *fakeSys) {
			f.stdin = []byte("no blank line")
			f.services[ap("10.0.0.2:7")] = upper
		}, args: []string{"nc", "-v", "host2", "7"}, stdout: "NO BLANK LINE", stderr: "Connection to host2 7 port [tcp] succeeded!"},
		{name: "port check", setup: func(f *fakeSys) { f.services[ap("10.0.0.2:80")] = upper },
			args: []string{"nc", "-z", "host2", "80"}, stdout: ""},
		{name: "server takes one client", setup: func(f *fakeSys) {
			f.stdin = []byte("welcome\n")
			f.clients[9000] = []*fakeClient{{from: ap("10.0.0.2:40000"), send: []byte("hi there\n")}}
		}, args: []string{"nc", "-l", "9000"}, stdout: "hi there\n", check: func(t *testing.T, f *fakeSys) {
			assert.Equal(t, "welcome\n", f.clients[9000][0].got.String(), "what the client got")
		}},
		{name: "server -w times out without a client", args: []string{"nc", "-l", "-w", "2", "9000"}, status: 1,
			stderr: "nc: waiting for a connection on port 9000: timed out after 2s"},
		{name: "udp client waits a second for replies", setup: func(f *fakeSys) {
			f.stdin = []byte("ping\n")
			f.echoUDP[ap("10.0.0.2:53")] = true
		}, args: []string{"nc", "-u", "host2", "53"}, stdout: "PING\n", check: func(t *testing.T, f *fakeSys) {
			assert.Equal(t, int64(1_000_100_000), f.now, "virtual time at the end: a round trip, then 1 s without replies")
		}},
		{name: "tcp idle past -w", setup: func(f *fakeSys) {
			f.streams[ap("10.0.0.2:7")] = func([]byte) []byte { return nil }
			f.stdin = []byte("x")
		}, args: []string{"nc", "-w", "3", "host2", "7"}, status: 1, stderr: "nc: connection idle for 3s: timed out"},
		{name: "udp server answers its first peer", setup: func(f *fakeSys) {
			f.stdin = []byte("pong\n")
			f.clients[5353] = []*fakeClient{{from: ap("10.0.0.2:1234"), send: []byte("query\n")}}
		}, args: []string{"nc", "-u", "-l", "-w", "1", "5353"}, stdout: "query\n", check: func(t *testing.T, f *fakeSys) {
			for _, d := range f.fds {
				assert.NotEqual(t, "pong\n", string(d.sent), "no socket left open")
			}
		}},
	})
}

func TestHttpd(t *testing.T) {
	site := func(f *fakeSys) {
		f.files["/www/index.html"] = []byte("<h1>hi</h1>\n")
		f.files["/www/data/a.txt"] = []byte("alpha\n")
		f.files["/www/data/b <x>.bin"] = []byte{0, 1, 2}
	}
	client := func(req string) func(f *fakeSys) {
		return func(f *fakeSys) {
			site(f)
			f.clients[8080] = []*fakeClient{{from: ap("10.0.0.2:40000"), send: []byte(req)}}
		}
	}
	got := func(want ...string) func(t *testing.T, f *fakeSys) {
		return func(t *testing.T, f *fakeSys) {
			resp := f.clients[8080][0].got.String()
			for _, w := range want {
				assert.Contains(t, resp, w, "the response")
			}
		}
	}
	args := []string{"httpd", "-p", "8080", "-n", "1", "/www"}
	runCases(t, []progCase{
		{name: "index", setup: client("GET / HTTP/1.0\r\n\r\n"), args: args,
			stdout: "10.0.0.2:40000 \"GET / HTTP/1.0\" 200 12\n",
			check:  got("HTTP/1.0 200 OK\r\n", "Content-Type: text/html; charset=utf-8\r\n", "Content-Length: 12\r\n", "\r\n\r\n<h1>hi</h1>\n")},
		{name: "file over 1.1", setup: client("GET /data/a.txt HTTP/1.1\r\nHost: host1\r\n\r\n"), args: args,
			check: got("HTTP/1.1 200 OK\r\n", "Content-Type: text/plain", "Connection: close\r\n", "\r\n\r\nalpha\n")},
		{name: "head has no body", setup: client("HEAD /data/a.txt HTTP/1.0\r\n\r\n"), args: args,
			stdout: "10.0.0.2:40000 \"HEAD /data/a.txt HTTP/1.0\" 200 0\n", check: func(t *testing.T, f *fakeSys) {
				assert.True(t, strings.HasSuffix(f.clients[8080][0].got.String(), "Content-Length: 6\r\nConnection: close\r\n\r\n"), "HEAD response ends with its header")
			}},
		{name: "listing escapes names", setup: client("GET /data/ HTTP/1.0\r\n\r\n"), args: args,
			check: got("<h1>Index of /data/</h1>", `<a href="a.txt">a.txt</a>`, `<a href="b%20%3Cx%3E.bin">b &lt;x&gt;.bin</a>`)},
		{name: "directory without slash redirects", setup: client("GET /data HTTP/1.0\r\n\r\n"), args: args,
			check: got("HTTP/1.0 301 Moved Permanently\r\n", "Location: /data/\r\n")},
		{name: "not found", setup: client("GET /missing HTTP/1.0\r\n\r\n"), args: args,
			stdout: "10.0.0.2:40000 \"GET /missing HTTP/1.0\" 404 65\n", check: got("HTTP/1.0 404 Not Found\r\n")},
		{name: "dot-dot stays inside", setup: func(f *fakeSys) {
			client("GET /../etc/hosts HTTP/1.0\r\n\r\n")(f)
		}, args: args, check: got("404 Not Found")},
		{name: "percent-encoded name", setup: client("GET /data/b%20%3Cx%3E.bin HTTP/1.0\r\n\r\n"), args: args,
			check: got("200 OK", "Content-Type: application/octet-stream", "Content-Length: 3\r\n")},
		{name: "post is not implemented", setup: client("POST / HTTP/1.0\r\n\r\n"), args: args, check: got("HTTP/1.0 501 Not Implemented")},
		{name: "garbage is a bad request", setup: client("hello\r\n\r\n"), args: args, check: got("HTTP/1.0 400 Bad Request")},
		{name: "bad header line", setup: client("GET / HTTP/1.0\r\nno colon\r\n\r\n"), args: args, check: got("400 Bad Request")},
		{name: "http/2 refused", setup: client("GET / HTTP/2.0\r\n\r\n"), args: args, check: got("505 HTTP Version Not Supported")},
		{name: "client that closes at once is logged", setup: func(f *fakeSys) {
			site(f)
			f.clients[8080] = []*fakeClient{{from: ap("10.0.0.2:40000")}}
		}, args: args, stderr: "httpd: 10.0.0.2:40000: reading the request: connection closed after 0 bytes"},
		{name: "client that sends nothing gets 408", setup: func(f *fakeSys) {
			site(f)
			f.clients[8080] = []*fakeClient{{from: ap("10.0.0.2:40000"), send: []byte("GET / HT"), silent: true}}
		}, args: []string{"httpd", "-p", "8080", "-n", "1", "-t", "3", "/www"}, stdout: "10.0.0.2:40000 \"  \" 408 71\n",
			check: func(t *testing.T, f *fakeSys) {
				got("HTTP/1.0 408 Request Timeout\r\n")(t, f)
				assert.Equal(t, int64(3_000_100_000), f.now, "virtual time: accept, then 3 s")
			}},
		{name: "two connections with -n 2", setup: func(f *fakeSys) {
			site(f)
			f.clients[80] = []*fakeClient{
				{from: ap("10.0.0.2:40000"), send: []byte("GET /data/a.txt HTTP/1.0\r\n\r\n")},
				{from: ap("10.0.0.1:40001"), send: []byte("GET /nothing HTTP/1.0\r\n\r\n")},
			}
		}, args: []string{"httpd", "-n", "2", "/www"}, stdout: "10.0.0.2:40000 \"GET /data/a.txt HTTP/1.0\" 200 6\n" +
			"10.0.0.1:40001 \"GET /nothing HTTP/1.0\" 404 65\n"},
	})
}

func TestWget(t *testing.T) {
	serve := func(status, body string, length int) func(f *fakeSys) {
		return func(f *fakeSys) {
			f.services[ap("10.0.0.2:80")] = func(req []byte) []byte {
				if !strings.HasPrefix(string(req), "GET /dir/page.html HTTP/1.0\r\nHost: host2\r\n") {
					return []byte("HTTP/1.0 400 Bad Request\r\n\r\n")
				}
				head := "HTTP/1.0 " + status + "\r\nContent-Type: text/html\r\n"
				if length >= 0 {
					head += "Content-Length: " + strconv.Itoa(length) + "\r\n"
				}
				return []byte(head + "\r\n" + body)
			}
		}
	}
	url := "http://host2/dir/page.html"
	runCases(t, []progCase{
		{name: "saves to the last path element", setup: serve("200 OK", "<p>x</p>", 8), args: []string{"wget", url},
			stderr: "'page.html' saved [8/8]", check: func(t *testing.T, f *fakeSys) {
				assert.Equal(t, "<p>x</p>", f.file("page.html"), "page.html")
			}},
		{name: "-O - writes stdout", setup: serve("200 OK", "<p>x</p>", 8), args: []string{"wget", "-q", "-O", "-", url}, stdout: "<p>x</p>"},
		{name: "fetch is wget", setup: serve("200 OK", "<p>x</p>", 8), args: []string{"fetch", "-q", "-O", "/out", url},
			check: func(t *testing.T, f *fakeSys) { assert.Equal(t, "<p>x</p>", f.file("/out"), "/out") }},
		{name: "no length reads to the close", setup: serve("200 OK", "all of it", -1), args: []string{"wget", "-q", "-O", "-", url}, stdout: "all of it"},
		{name: "body past the length is cut", setup: serve("200 OK", "abcdef", 3), args: []string{"wget", "-q", "-O", "-", url}, stdout: "abc"},
		{name: "short body is a network error", setup: serve("200 OK", "abc", 10), args: []string{"wget", "-q", "-O", "-", url}, status: 4,
			stderr: "wget: host2 (10.0.0.2):80 closed the connection at byte 3 of 10"},
		{name: "server error is 8", setup: serve("404 Not Found", "", 0), args: []string{"wget", "-q", url}, status: 8,
			stderr: "wget: host2/dir/page.html: server answered 404 Not Found", check: func(t *testing.T, f *fakeSys) {
				_, saved := f.files["page.html"]
				assert.False(t, saved, "nothing saved on an error")
			}},
		{name: "garbage answer", setup: func(f *fakeSys) {
			f.services[ap("10.0.0.2:80")] = func([]byte) []byte { return []byte("SSH-2.0-x\r\n\r\n") }
		}, args: []string{"wget", "-q", url}, status: 4, stderr: `malformed status line "SSH-2.0-x"`},
		{name: "directory URL saves index.html", setup: func(f *fakeSys) {
			f.services[ap("10.0.0.2:80")] = func([]byte) []byte { return []byte("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok") }
		}, args: []string{"wget", "-q", "host2/"}, check: func(t *testing.T, f *fakeSys) {
			assert.Equal(t, "ok", f.file("index.html"), "index.html")
		}},
	})
}

func TestIfconfigAndIp(t *testing.T) {
	ifs := func(f *fakeSys) {
		f.ifaces = []netproto.Interface{
			{Name: "lo", MTU: 65536, Up: true, Addrs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/8")}, RxPackets: 4, RxBytes: 336, TxPackets: 4, TxBytes: 336},
			{Name: "eth0", MTU: 1500, Up: true, MAC: "02:00:00:00:00:01", Addrs: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}, RxPackets: 10, RxBytes: 1000, TxPackets: 12, TxBytes: 1100, Drops: 1},
			{Name: "eth1", MTU: 1500, MAC: "02:00:00:00:00:02"},
		}
	}
	runCases(t, []progCase{
		{name: "ifconfig eth0", setup: ifs, args: []string{"ifconfig", "eth0"}, stdout: "" +
			"eth0: flags=<UP,BROADCAST,RUNNING>  mtu 1500\n" +
			"        inet 10.0.0.1  netmask 255.255.255.0\n" +
			"        ether 02:00:00:00:00:01  (Ethernet)\n" +
			"        RX packets 10  bytes 1000\n" +
			"        RX errors 0  dropped 1\n" +
			"        TX packets 12  bytes 1100\n" +
			"        TX errors 0\n"},
		{name: "ifconfig hides down interfaces", setup: ifs, args: []string{"ifconfig"}, has: []string{"lo: flags=<UP,LOOPBACK,RUNNING>  mtu 65536\n", "loop  (Local Loopback)", "eth0:"},
			check: func(t *testing.T, f *fakeSys) {
				assert.NotContains(t, f.stdout.String(), "eth1", "ifconfig without -a")
			}},
		{name: "ifconfig -a", setup: ifs, args: []string{"ifconfig", "-a"}, has: []string{"eth1: flags=<BROADCAST>  mtu 1500\n"}},
		{name: "ifconfig unknown", setup: ifs, args: []string{"ifconfig", "wlan0"}, status: 1, stderr: "ifconfig: wlan0: no such interface"},
		{name: "ip addr", setup: ifs, args: []string{"ip", "addr"}, has: []string{
			"1: lo: <UP,LOOPBACK,LOWER_UP> mtu 65536 state UP\n    link/loopback 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n",
			"2: eth0: <UP,BROADCAST,LOWER_UP> mtu 1500 state UP\n    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n    inet 10.0.0.1/24 scope global eth0\n",
			"3: eth1: <BROADCAST> mtu 1500 state DOWN\n"}},
		{name: "ip a show eth0", setup: ifs, args: []string{"ip", "a", "show", "eth0"}, has: []string{"2: eth0:"}},
		{name: "ip addr show unknown", setup: ifs, args: []string{"ip", "addr", "show", "x"}, status: 1, stderr: `ip: Device "x" does not exist.`},
		{name: "netstat -i", setup: ifs, args: []string{"netstat", "-i"}, has: []string{
			"lo       65536        4      0      0        4      0 LRU\n",
			"eth0      1500       10      0      1       12      0 BRU\n"}},
	})
}

func TestNetstat(t *testing.T) {
	socks := func(f *fakeSys) {
		f.socks = []netproto.SocketInfo{
			{Proto: "tcp", Local: ap("0.0.0.0:80"), State: "LISTEN"},
			{Proto: "tcp", Local: ap("10.0.0.1:80"), Remote: ap("10.0.0.2:40000"), State: "ESTABLISHED", SendQ: 1448},
			{Proto: "udp", Local: ap("0.0.0.0:53")},
			{Proto: "icmp", Local: ap("0.0.0.0:0")},
		}
	}
	header := "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
	listen := "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN\n"
	est := "tcp        0   1448 10.0.0.1:80             10.0.0.2:40000          ESTABLISHED\n"
	udp := "udp        0      0 0.0.0.0:53              0.0.0.0:*\n"
	runCases(t, []progCase{
		{name: "connected by default", setup: socks, args: []string{"netstat"}, stdout: "Active Internet connections (w/o servers)\n" + header + est},
		{name: "-l listening only", setup: socks, args: []string{"netstat", "-l"}, stdout: "Active Internet connections (only servers)\n" + header + listen + udp},
		{name: "-a both", setup: socks, args: []string{"netstat", "-a"}, stdout: "Active Internet connections (servers and established)\n" + header + listen + est + udp},
		{name: "-ua udp only", setup: socks, args: []string{"netstat", "-ua"}, stdout: "Active Internet connections (servers and established)\n" + header + udp},
		{name: "-tn tcp only", setup: socks, args: []string{"netstat", "-tn"}, stdout: "Active Internet connections (w/o servers)\n" + header + est},
	})
}

func TestPcapstat(t *testing.T) {
	capture := func(f *fakeSys) {
		var b bytes.Buffer
		_ = pcapstat.WriteHeader(&b, pcapstat.LinkRaw)
		seg := make([]byte, 40+100)
		seg[0], seg[3], seg[9], seg[32], seg[33] = 0x45, byte(len(seg)), 6, 5<<4, 0x10
		copy(seg[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
		_ = pcapstat.WriteRecord(&b, 1_000_000, seg)
		f.files["/cap.pcap"] = b.Bytes()
	}
	runCases(t, []progCase{
		{name: "summary", setup: capture, args: []string{"pcapstat", "/cap.pcap"},
			has: []string{"flow 10.0.0.1:0 -> 10.0.0.2:0\n", "data bytes 100 in 1 segments"}},
		{name: "series", setup: capture, args: []string{"pcapstat", "-t", "10ms", "/cap.pcap"},
			has: []string{"interval 10.000 ms", "     0.000          100        0\n"}},
		{name: "bad interval", args: []string{"pcapstat", "-t", "x", "/cap.pcap"}, status: 2, stderr: `pcapstat: invalid interval "x"`},
	})
}
