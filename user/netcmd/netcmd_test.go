package netcmd

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/stretchr/testify/assert"
)

// hosts is the /etc/hosts of the tests' machines.
const hosts = "127.0.0.1 localhost\n10.0.0.1 host1\n10.0.0.2 host2 web # the server\n"

// progCase is one run of a program on the fake system.
type progCase struct {
	name   string
	setup  func(f *fakeSys)
	args   []string // argv, with the program's name
	status int
	stdout string   // the whole standard output, when not ""
	has    []string // pieces the standard output holds
	stderr string   // a piece the standard error holds ("" : empty)
	check  func(t *testing.T, f *fakeSys)
}

func runCases(t *testing.T, cases []progCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake()
			f.files["/etc/hosts"] = []byte(hosts)
			if c.setup != nil {
				c.setup(f)
			}
			got := Run(f, c.args[0], c.args[1:])
			assert.Equal(t, c.status, got, "Run(%q) status; stderr %q", c.args, f.stderr.String())
			if c.stdout != "" {
				assert.Equal(t, c.stdout, f.stdout.String(), "Run(%q) stdout", c.args)
			}
			for _, h := range c.has {
				assert.Contains(t, f.stdout.String(), h, "Run(%q) stdout", c.args)
			}
			if c.stderr == "" {
				assert.Empty(t, f.stderr.String(), "Run(%q) stderr", c.args)
			} else {
				assert.Contains(t, f.stderr.String(), c.stderr, "Run(%q) stderr", c.args)
			}
			if c.check != nil {
				c.check(t, f)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	for _, c := range []struct {
		name, host, want, err string
	}{
		{"dotted", "10.1.2.3", "10.1.2.3", ""},
		{"hosts name", "host2", "10.0.0.2", ""},
		{"alias after comment-free fields", "web", "10.0.0.2", ""},
		{"case-insensitive", "HOST1", "10.0.0.1", ""},
		{"localhost", "localhost", "127.0.0.1", ""},
		{"unknown", "host9", "", "host9: unknown host"},
		{"ipv6", "::1", "", "only IPv4"},
	} {
		f := newFake()
		f.files["/etc/hosts"] = []byte(hosts)
		got, err := (&Cmd{System: f}).resolve(c.host)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err, c.name)
			continue
		}
		if assert.NoError(t, err, c.name) {
			assert.Equal(t, c.want, got.String(), "%s: resolve(%q)", c.name, c.host)
		}
	}
}

func TestNames(t *testing.T) {
	assert.Equal(t, []string{"fetch", "httpd", "ifconfig", "ip", "nc", "netstat", "pcapstat", "ping", "tcpbench", "wget"}, Names())
	assert.Equal(t, 127, Run(newFake(), "telnet", nil), "Run(telnet)")
}

func TestUsageErrors(t *testing.T) {
	var cases []progCase
	for _, argv := range [][]string{
		{"ping"}, {"ping", "-c"}, {"ping", "-x", "host2"}, {"ping", "a", "b"},
		{"nc"}, {"nc", "host2"}, {"nc", "-l"}, {"nc", "-q", "host2", "80"},
		{"httpd", "a", "b"}, {"httpd", "-z"},
		{"wget"}, {"wget", "-O"},
		{"netstat", "x"}, {"ifconfig", "a", "b"}, {"ip"}, {"ip", "route"},
		{"pcapstat"},
	} {
		cases = append(cases, progCase{name: strings.Join(argv, " "), args: argv, status: 2, stderr: argv[0] + ": usage: " + argv[0]})
	}
	runCases(t, cases)
}

func TestBadValues(t *testing.T) {
	runCases(t, []progCase{
		{name: "ping count", args: []string{"ping", "-c", "0", "host2"}, status: 2, stderr: `ping: invalid count "0"`},
		{name: "ping interval", args: []string{"ping", "-i", "soon", "host2"}, status: 2, stderr: `ping: invalid time "soon"`},
		{name: "ping unknown host", args: []string{"ping", "nowhere"}, status: 2, stderr: "ping: nowhere: unknown host"},
		{name: "nc port", args: []string{"nc", "host2", "70000"}, status: 2, stderr: `nc: invalid port "70000"`},
		{name: "nc listen port", args: []string{"nc", "-l", "0"}, status: 2, stderr: `nc: invalid port "0"`},
		{name: "nc unknown host", args: []string{"nc", "nowhere", "80"}, status: 2, stderr: "nc: nowhere: unknown host"},
		{name: "httpd port", args: []string{"httpd", "-p", "x"}, status: 2, stderr: `httpd: invalid port "x"`},
		{name: "httpd not a dir", args: []string{"httpd", "/nope"}, status: 1, stderr: "httpd: /nope: not a directory"},
		{name: "wget scheme", args: []string{"wget", "https://host2/"}, status: 2, stderr: `unsupported scheme "https"`},
		{name: "wget no host", args: []string{"wget", "http:///x"}, status: 2, stderr: "no host"},
		{name: "wget unknown host", args: []string{"wget", "http://nowhere/"}, status: 4, stderr: "wget: nowhere: unknown host"},
		{name: "pcapstat missing file", args: []string{"pcapstat", "/cap.pcap"}, status: 1, stderr: "pcapstat: /cap.pcap: no such file"},
		{name: "pcapstat not pcap", setup: func(f *fakeSys) { f.files["/x"] = []byte(strings.Repeat("x", 30)) },
			args: []string{"pcapstat", "/x"}, status: 1, stderr: "not a pcap file"},
	})
}

func TestConnectErrorsNameHostAndPort(t *testing.T) {
	runCases(t, []progCase{
		{name: "nc refused", args: []string{"nc", "host2", "81"}, status: 1,
			stderr: "nc: connect to host2 port 81 (tcp) failed: connection refused"},
		{name: "nc unreachable", setup: func(f *fakeSys) { f.refuse[ap("10.0.0.2:80")] = linux.EHOSTUNREACH },
			args: []string{"nc", "host2", "80"}, status: 1, stderr: "nc: connect to host2 port 80 (tcp) failed: no route to host"},
		{name: "wget refused", args: []string{"wget", "http://host2:8080/a"}, status: 4,
			stderr: "wget: connecting to host2 (10.0.0.2):8080 failed: connection refused"},
		{name: "wget timeout", setup: func(f *fakeSys) { f.refuse[ap("10.0.0.2:80")] = linux.ETIMEDOUT },
			args: []string{"wget", "-q", "host2"}, status: 4, stderr: "failed: connection timed out"},
	})
}

// ap parses an address and port.
func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestSummaries(t *testing.T) {
	for _, n := range Names() {
		assert.NotEmpty(t, Summaries[n], "Summaries[%q]", n)
	}
	assert.Len(t, Summaries, len(Names()), "Summaries has a line per program and no more")
	assert.Len(t, Programs(), len(Names()), "Programs()")
}
