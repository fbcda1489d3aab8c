package optparse

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// The wants were printed by Python 3's own optparse for a parser with the
// same four options (tool.py: -s/--seed int, -a/--asize, -A/--addresses,
// -c/--compute store_true).
func TestParseMatchesPython(t *testing.T) {
	tests := []struct {
		args string
		want string
	}{
		{"-s 1", "seed=1 asize=1k addresses=-1 solve=False"},
		{"-s1", "seed=1 asize=1k addresses=-1 solve=False"},
		{"--seed=0x10", "seed=16 asize=1k addresses=-1 solve=False"},
		{"--se 010", "seed=8 asize=1k addresses=-1 solve=False"},
		{"-cs 7", "seed=7 asize=1k addresses=-1 solve=True"},
		{"-s 08", "tool.py: error: option -s: invalid integer value: '08'"},
		{"-s abc", "tool.py: error: option -s: invalid integer value: 'abc'"},
		{"--s 1", "seed=1 asize=1k addresses=-1 solve=False"},
		{"--compute=1", "tool.py: error: --compute option does not take a value"},
		{"-x", "tool.py: error: no such option: -x"},
		{"-s", "tool.py: error: -s option requires 1 argument"},
		{"--seed", "tool.py: error: --seed option requires 1 argument"},
		{"-s 1_0", "seed=10 asize=1k addresses=-1 solve=False"},
		{"-s 0b101", "seed=5 asize=1k addresses=-1 solve=False"},
		{"-s -0x10", "tool.py: error: option -s: invalid integer value: '-0x10'"},
		{"-s +3", "seed=3 asize=1k addresses=-1 solve=False"},
		{"pos -c -- -s 9", "seed=0 asize=1k addresses=-1 solve=True"},
		{"-a 64k -s 2 -s 3", "seed=3 asize=64k addresses=-1 solve=False"},
		{"--a 1k", "tool.py: error: ambiguous option: --a (--addresses, --asize?)"},
		{"--nosuch", "tool.py: error: no such option: --nosuch"},
		{"-s -", "tool.py: error: option -s: invalid integer value: '-'"},
		{"-s 0", "seed=0 asize=1k addresses=-1 solve=False"},
		{"-s 0o7", "seed=7 asize=1k addresses=-1 solve=False"},
	}
	p := &Parser{Prog: "tool.py", Options: []Option{
		{Short: "-s", Long: "--seed", Dest: "seed", Kind: IntKind, Default: "0"},
		{Short: "-a", Long: "--asize", Dest: "asize", Default: "1k"},
		{Short: "-A", Long: "--addresses", Dest: "addresses", Default: "-1"},
		{Short: "-c", Long: "--compute", Dest: "solve", Kind: True, Default: "False"},
	}}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			v, err := p.Parse(strings.Fields(tt.args), nil)
			got := ""
			if err != nil {
				var b bytes.Buffer
				err.(*Error).Write(&b)
				lines := strings.Split(strings.TrimSpace(b.String()), "\n")
				got = lines[len(lines)-1]
			} else {
				got = fmt.Sprintf("seed=%d asize=%s addresses=%s solve=%s", v.Int("seed"), v.Str("asize"), v.Str("addresses"), map[bool]string{true: "True", false: "False"}[v.Bool("solve")])
			}
			if got != tt.want {
				t.Errorf("Parse(%s) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	p := &Parser{Prog: "tool.py", Options: []Option{{Short: "-s", Long: "--seed", Dest: "seed", Kind: IntKind, Default: "0", Help: "the random seed"}}}
	var b bytes.Buffer
	if _, err := p.Parse([]string{"--he"}, &b); err != ErrHelp || !strings.Contains(b.String(), "-s SEED, --seed=SEED  the random seed") {
		t.Errorf("Parse(--he) = %v, help %q; want ErrHelp and the option listed", err, b.String())
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		s    string
		want int64
		ok   bool
	}{{"12", 12, true}, {" -3 ", -3, true}, {"1_000", 1000, true}, {"1__0", 0, false}, {"0x10", 0, false}, {"", 0, false}, {"4k", 0, false}, {"007", 7, true}}
	for _, tt := range tests {
		if got, ok := Int(tt.s); got != tt.want || ok != tt.ok {
			t.Errorf("Int(%q) = %d, %v; want %d, %v", tt.s, got, ok, tt.want, tt.ok)
		}
	}
}
