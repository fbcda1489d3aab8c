package boot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	nichw "github.com/mkos/mkos/drivers/nic/hw"
)

// The network: section: the wire between the machines of hosts:.

// NetworkConf is the network: section, the wire between the machines:
// one switch, every link alike. Zero fields take the defaults.
type NetworkConf struct {
	// Latency is a frame's one-way time on a link (50µs). It is also the
	// lookahead of the group that steps the machines' kernels: no
	// machine hears another sooner.
	Latency Duration `yaml:"latency"`
	// Speed is the links' bit rate, like 100Mbit or 1Gbit (1Gbit).
	Speed Bitrate `yaml:"speed"`
	// Loss, Reorder and Dup are the probabilities, from 0 to 1, that a
	// frame is lost, delayed past the next ones, or delivered twice.
	Loss    float64 `yaml:"loss"`
	Reorder float64 `yaml:"reorder"`
	Dup     float64 `yaml:"dup"`
	// ReorderDelay is how much longer a reordered frame takes (the
	// latency).
	ReorderDelay Duration `yaml:"reorder_delay"`
	// MTU is the largest frame payload in bytes, 68 to 9000 (1500).
	MTU int `yaml:"mtu"`
}

// The network's defaults.
const (
	DefaultLatency = Duration(50 * time.Microsecond)
	DefaultSpeed   = Bitrate(1_000_000_000)
	DefaultMTU     = 1500
)

// withDefaults returns n with its zero fields filled in.
func (n NetworkConf) withDefaults() NetworkConf {
	if n.Latency == 0 {
		n.Latency = DefaultLatency
	}
	if n.Speed == 0 {
		n.Speed = DefaultSpeed
	}
	if n.MTU == 0 {
		n.MTU = DefaultMTU
	}
	if n.ReorderDelay == 0 {
		n.ReorderDelay = n.Latency
	}
	return n
}

// check checks the network: section.
func (n *NetworkConf) check() error {
	for _, p := range []struct {
		key string
		v   float64
	}{{"loss", n.Loss}, {"reorder", n.Reorder}, {"dup", n.Dup}} {
		if !(p.v >= 0 && p.v <= 1) {
			return fmt.Errorf("network.%s: %v is not a probability from 0 to 1", p.key, p.v)
		}
	}
	if n.MTU != 0 && (n.MTU < 68 || n.MTU > nichw.MaxMTU) {
		return fmt.Errorf("network.mtu: %d is out of range 68..%d", n.MTU, nichw.MaxMTU)
	}
	if n.Latency != 0 && n.Latency < Duration(time.Microsecond) {
		return fmt.Errorf("network.latency: %s is under 1µs, the shortest link", time.Duration(n.Latency))
	}
	return nil
}

// Bitrate is a link speed in bits per second, written like 10Mbit,
// 1Gbit or 2.5Gbit (also kbit, bit, and bps for bit).
type Bitrate int64

// UnmarshalYAML parses a bit rate.
func (b *Bitrate) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseBitrate(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*b = Bitrate(v)
	return nil
}

// ParseBitrate reads a bit rate in bits per second: a number and a unit,
// bit, kbit, Mbit, Gbit or Tbit (bps, kbps, … too), from 1kbit to 1Tbit.
func ParseBitrate(text string) (int64, error) {
	s := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(text), "ps"), "it")
	s = strings.TrimSuffix(s, "b")
	scale := map[byte]float64{'k': 1e3, 'K': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12}
	mult := 1.0
	if len(s) > 0 {
		if m, ok := scale[s[len(s)-1]]; ok {
			s, mult = s[:len(s)-1], m
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	bad := fmt.Errorf("%q is not a bit rate like 100Mbit or 1Gbit", text)
	if err != nil || s == "" || text == s {
		return 0, bad
	}
	bits := v * mult
	if !(bits >= 1e3 && bits <= 1e12) {
		return 0, fmt.Errorf("%q is out of range 1kbit..1Tbit", text)
	}
	return int64(bits), nil
}

// String renders b as the largest whole unit (1Gbit, 2500Mbit).
func (b Bitrate) String() string {
	for _, u := range []struct {
		name string
		v    int64
	}{{"Tbit", 1e12}, {"Gbit", 1e9}, {"Mbit", 1e6}, {"kbit", 1e3}} {
		if int64(b) >= u.v && int64(b)%u.v == 0 {
			return strconv.FormatInt(int64(b)/u.v, 10) + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10) + "bit"
}
