package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkos/mkos/boot"
)

func TestRunHostsCommands(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		want    string // the standard output
		wantErr string // "" for none
	}{
		{"on K", []string{"--hosts", "2", "-c", "on 2 hostname; sleep 0.001; hostname"}, "host2\nhost1\n", ""},
		{"default machine", []string{"--hosts", "3", "--host", "3", "-c", "sleep 0.001; hostname; on 1 hostname"}, "host1\nhost3\n", ""},
		{"hosts file", []string{"--hosts", "2", "-c", "on 2 cat /etc/hosts"},
			"127.0.0.1\tlocalhost\n10.0.0.1\thost1\n10.0.0.2\thost2\n", ""},
		{"status of the default machine's shell", []string{"--hosts", "2", "-c", "on 2 exit 4; exit 3"}, "", "status 3"},
		{"no such machine", []string{"--hosts", "2", "-c", "on 3 hostname"}, "", "on 3: not a machine number from 1 to 2"},
		{"bad --hosts", []string{"--hosts", "0", "-c", "true"}, "", "--hosts: 0 is not a number of machines"},
		{"bad --host", []string{"--hosts", "2", "--host", "5", "-c", "true"}, "", "--host: 5 is not a machine from 1 to 2"},
		{"--host alone", []string{"--host", "2", "-c", "true"}, "", "need several machines"},
		{"--pcap alone", []string{"--pcap", "x.pcap"}, "", "need several machines"},
		{"network: alone", []string{"--config", "testdata/network-only.yaml", "-c", "true"}, "", "network: is the wire between machines"},
		{"process isolation", []string{"--hosts", "2", "--isolation", "process", "-c", "true"}, "", "isolation: process works on one machine"},
		{"one-machine flag", []string{"--hosts", "2", "--console", "-c", "true"}, "", "--console works on one machine"},
		{"a background job runs on after its shell", []string{"--hosts", "2", "-c", "on 2 sh -c 'sleep 0.002; echo background' &; sleep 0.01; echo foreground"},
			"background\nforeground\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := mkos(t, append([]string{"run"}, c.args...)...)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("run %v: error = %v, want %q", c.args, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("run %v: error = %v", c.args, err)
			}
			if out != c.want {
				t.Errorf("run %v: output = %q, want %q", c.args, out, c.want)
			}
		})
	}
}

func TestRunHostsDemoWritesTraceAndPcap(t *testing.T) {
	dir := t.TempDir()
	trace, pcap := filepath.Join(dir, "t.jsonl"), filepath.Join(dir, "w.pcap")
	out, _, err := mkos(t, "run", "--hosts", "2", "--trace", trace, "--pcap", pcap, "--clients", "1", "--calls", "2")
	if err != nil {
		t.Fatalf("run --hosts 2: %v", err)
	}
	for _, want := range []string{"network: 2 machines on one switch", "== host1 10.0.0.1", "== host2 10.0.0.2"} {
		if !strings.Contains(out, want) {
			t.Errorf("run --hosts 2: output lacks %q:\n%s", want, out)
		}
	}
	tr, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"host":1,`, `"host":2,`} {
		if !bytes.Contains(tr, []byte(want)) {
			t.Errorf("the trace lacks %s", want)
		}
	}
	p, err := os.ReadFile(pcap)
	if err != nil {
		t.Fatal(err)
	}
	if len(p) < 24 || binary.LittleEndian.Uint32(p) != 0xa1b23c4d {
		t.Errorf("pcap file = % x…, want the nanosecond pcap header", p[:min(len(p), 8)])
	}
	chart, _, err := mkos(t, "trace", trace, "--host", "2", "--limit", "3")
	if err != nil || !strings.HasPrefix(chart, "host2 ") || strings.Contains(chart, "host1 ") {
		t.Errorf("trace --host 2 = %q, %v; want host2's events alone", chart, err)
	}
}

func TestRunHostsJSON(t *testing.T) {
	out, _, err := mkos(t, "run", "--hosts", "2", "--json", "-c", "ping -c 2 host2 > /dev/null")
	if err != nil {
		t.Fatalf("run --hosts 2 --json: %v", err)
	}
	var sum boot.ClusterSummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("run --hosts 2 --json: %v in %q", err, out)
	}
	if len(sum.Hosts) != 2 || sum.Hosts[1].Name != "host2" || sum.Hosts[1].Addr != "10.0.0.2" {
		t.Fatalf("hosts = %+v, want host1 and host2 (10.0.0.2)", sum.Hosts)
	}
	// Two echo requests and two replies, and the ARP exchange before them.
	if got := sum.Network.Switch.Frames; got < 4 {
		t.Errorf("switch frames = %d, want at least 4", got)
	}
	if got := sum.Hosts[1].NIC.RxFrames; got < 2 {
		t.Errorf("host2's card received %d frames, want at least the 2 echo requests", got)
	}
}

func TestShellHosts(t *testing.T) {
	root := newRoot()
	var out bytes.Buffer
	root.SetArgs([]string{"shell", "--hosts", "3", "--host", "2"})
	root.SetIn(strings.NewReader("hostname\nexit 3\n"))
	root.SetOut(&out)
	root.SetErr(&out)
	err := root.Execute()
	if code, _ := exitCode(err); code != 3 {
		t.Errorf("shell --hosts 3 --host 2: exit status %d (%v), want the shell's 3", code, err)
	}
	if !strings.Contains(out.String(), "host2\n") {
		t.Errorf("shell --hosts 3 --host 2: output %q, want host2's name", out.String())
	}
}

// TestRunHostsDeterminism: three machines, an HTTP fetch and pings over a
// wire that loses, duplicates and reorders frames, through the NIC drivers
// and the net servers: the same seed gives the same output, trace and
// pcap, byte for byte; another seed another pcap.
func TestRunHostsDeterminism(t *testing.T) {
	const script = "on 2 echo hi > /index.html; on 2 httpd &; on 3 ping -c 3 host1; sleep 1; wget -q -O - http://host2/index.html; ping -c 3 host3"
	run := func(t *testing.T, mode, seed string) (out string, trace, pcap []byte) {
		dir := t.TempDir()
		tp, pp := filepath.Join(dir, "t.jsonl"), filepath.Join(dir, "w.pcap")
		out, _, err := mkos(t, "run", "--config", "testdata/lossy.yaml", "--mode", mode, "--hosts", "3", "--seed", seed,
			"--trace", tp, "--pcap", pp, "-c", script)
		if err != nil {
			t.Fatalf("run --mode %s --seed %s: %v\n%s", mode, seed, err, out)
		}
		trace, err = os.ReadFile(tp)
		if err != nil {
			t.Fatal(err)
		}
		pcap, err = os.ReadFile(pp)
		if err != nil {
			t.Fatal(err)
		}
		return out, trace, pcap
	}
	for _, mode := range []string{"micro", "mono", "hybrid"} {
		t.Run(mode, func(t *testing.T) {
			out1, trace1, pcap1 := run(t, mode, "5")
			out2, trace2, pcap2 := run(t, mode, "5")
			if !strings.Contains(out1, "hi\n") || !strings.Contains(out1, "3 packets transmitted") {
				t.Errorf("output lacks the page or the pings:\n%s", out1)
			}
			if out1 != out2 || !bytes.Equal(trace1, trace2) || !bytes.Equal(pcap1, pcap2) {
				t.Errorf("seed 5 twice: output equal %v, trace equal %v (%d, %d bytes), pcap equal %v (%d, %d bytes); want all equal",
					out1 == out2, bytes.Equal(trace1, trace2), len(trace1), len(trace2), bytes.Equal(pcap1, pcap2), len(pcap1), len(pcap2))
			}
			_, _, pcap3 := run(t, mode, "6")
			if bytes.Equal(pcap1, pcap3) {
				t.Errorf("seeds 5 and 6 give the same pcap; want the losses drawn differently")
			}
		})
	}
}
