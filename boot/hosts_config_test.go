package boot

import (
	"strings"
	"testing"
	"time"
)

func TestHostsSection(t *testing.T) {
	cases := []struct {
		name, yaml string
		wantErr    string // "" for none
		wantHosts  int
	}{
		{"none", "mode: micro\n", "", 0},
		{"number", "hosts: 3\n", "", 3},
		{"list", "hosts:\n  - {}\n  - {mode: mono, cpus: 2}\n", "", 2},
		{"names", "hosts:\n  - name: web\n  - name: db\n", "", 2},
		{"zero", "hosts: 0\n", "not a number of machines", 0},
		{"too many", "hosts: 251\n", "not a number of machines", 0},
		{"word", "hosts: many\n", "not a number of machines", 0},
		{"mapping", "hosts: {a: 1}\n", "a number of machines or a list", 0},
		{"unknown key", "hosts:\n  - {}\n  - {colour: red}\n", "hosts[1].colour (line 3): unknown key", 0},
		{"unknown nested key", "hosts:\n  - servers:\n      - {name: echo, where: x}\n", "hosts[0].servers[0].where (line 3): unknown key", 0},
		{"bad mode", "hosts:\n  - {mode: tiny}\n", `hosts[0] (host1): mode: "tiny"`, 0},
		{"bad name", "hosts:\n  - {name: 'a b'}\n", `hosts[0].name: "a b" is not a host name`, 0},
		{"same name", "hosts:\n  - {name: web}\n  - {name: web}\n", `"web" is host1's name too`, 0},
		{"another's name", "hosts:\n  - {name: host2}\n  - {}\n", `"host2" names another machine`, 0},
		{"own name", "hosts:\n  - {name: host1}\n", "", 1},
		{"same image", "hosts:\n  - {disk: {image: a.img}}\n  - {disk: {image: a.img}}\n", "a.img is host1's image too", 0},
		{"network without hosts", "network: {latency: 1ms}\n", "", 0},
		{"network", "hosts: 2\nnetwork: {latency: 1ms, speed: 100Mbit, loss: 0.01, mtu: 9000}\n", "", 2},
		{"loss past 1", "hosts: 2\nnetwork: {loss: 1.5}\n", "network.loss: 1.5 is not a probability", 0},
		{"tiny mtu", "hosts: 2\nnetwork: {mtu: 10}\n", "network.mtu: 10 is out of range", 0},
		{"bad speed", "hosts: 2\nnetwork:\n  speed: fast\n", `network.speed (line 3): "fast" is not a bit rate`, 0},
		{"unknown network key", "hosts: 2\nnetwork: {jitter: 1ms}\n", "unknown key", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse([]byte(c.yaml))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("Parse() error = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if len(cfg.Hosts) != c.wantHosts {
				t.Errorf("len(Hosts) = %d, want %d", len(cfg.Hosts), c.wantHosts)
			}
		})
	}
}

func TestHostConfig(t *testing.T) {
	cfg, err := Parse([]byte("mode: micro\nseed: 7\ndisk: {image: d/disk.img}\nhosts:\n  - {}\n  - {mode: mono, cpus: 2, name: web}\n  - {disk: {size: 8MiB}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		k     int
		mode  Mode
		cpus  int
		image string
		name  string
	}{
		{1, Micro, 1, "d/disk-host1.img", "host1"},
		{2, Mono, 2, "d/disk-host2.img", "web"},
		{3, Micro, 1, "", "host3"},
	}
	seeds := map[uint64]int{}
	for _, c := range cases {
		hc := cfg.HostConfig(c.k)
		if hc.Mode != c.mode || hc.CPUs != c.cpus || hc.Disk.Image != c.image || cfg.HostNameOf(c.k) != c.name {
			t.Errorf("HostConfig(%d) = mode %s, cpus %d, image %q, name %q; want %s, %d, %q, %q",
				c.k, hc.Mode, hc.CPUs, hc.Disk.Image, cfg.HostNameOf(c.k), c.mode, c.cpus, c.image, c.name)
		}
		if hc.Hosts != nil || hc.Network != nil {
			t.Errorf("HostConfig(%d) keeps hosts: or network:", c.k)
		}
		if j, dup := seeds[hc.Seed]; dup {
			t.Errorf("HostConfig(%d).Seed = HostConfig(%d).Seed = %d, want different", c.k, j, hc.Seed)
		}
		seeds[hc.Seed] = c.k
		if hc.Seed != HostSeed(7, c.k) {
			t.Errorf("HostConfig(%d).Seed = %d, want HostSeed(7, %d) = %d", c.k, hc.Seed, c.k, HostSeed(7, c.k))
		}
	}
	if cfg.Disk.Image != "d/disk.img" {
		t.Errorf("the file's disk image = %q after HostConfig, want it unchanged", cfg.Disk.Image)
	}
	if HostSeed(8, 1) == HostSeed(7, 1) {
		t.Errorf("HostSeed(8, 1) = HostSeed(7, 1): another run seed must give another machine seed")
	}
	want := "127.0.0.1\tlocalhost\n10.0.0.1\thost1\n10.0.0.2\tweb host2\n10.0.0.3\thost3\n"
	if got := cfg.EtcHosts(); got != want {
		t.Errorf("EtcHosts() = %q, want %q", got, want)
	}
}

func TestNetworkDefaults(t *testing.T) {
	cfg, err := Parse([]byte("hosts: 2\nnetwork: {loss: 0.1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.NetworkOrDefault()
	if n.Latency != Duration(50*time.Microsecond) || n.Speed != 1_000_000_000 || n.MTU != 1500 || n.Loss != 0.1 {
		t.Errorf("NetworkOrDefault() = %+v, want 50µs, 1Gbit, MTU 1500, loss 0.1", n)
	}
}

func TestParseBitrate(t *testing.T) {
	cases := []struct {
		in   string
		want int64 // -1: an error
	}{
		{"1Gbit", 1e9}, {"100Mbit", 1e8}, {"2.5Gbit", 2.5e9}, {"10Mbps", 1e7}, {"64kbit", 64e3},
		{"1Tbit", 1e12}, {"5000bit", 5000}, {"1G", 1e9},
		{"fast", -1}, {"", -1}, {"100", -1}, {"10bit", -1}, {"2Tbit", -1}, {"-1Gbit", -1}, {"Gbit", -1},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseBitrate(c.in)
			if c.want < 0 {
				if err == nil {
					t.Errorf("ParseBitrate(%q) = %d, want an error", c.in, got)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("ParseBitrate(%q) = %d, %v, want %d", c.in, got, err, c.want)
			}
		})
	}
	if got := Bitrate(2_500_000_000).String(); got != "2500Mbit" {
		t.Errorf("Bitrate(2.5e9).String() = %q, want 2500Mbit", got)
	}
}
