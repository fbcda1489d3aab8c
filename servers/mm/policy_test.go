package mm

import (
	"fmt"
	"github.com/mkos/mkos/internal/ostepcase"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/internal/pyrand"
)

// step is one reference as the policy alone sees it.
type step struct {
	hit    bool
	victim int64 // -1: none
	frames []uint64
}

// drive runs refs through p with frames frames, reporting every reference
// exactly (the lab's way): a miss evicts when memory is full and inserts;
// every reference, hit or miss, is then touched.
func drive(p Policy, frames int, refs []uint64) []step {
	var out []step
	for _, r := range refs {
		pg := Page{Space: 1, VPN: r}
		s := step{hit: true, victim: -1}
		if !contains(p.Resident(), pg) {
			s.hit = false
			if len(p.Resident()) == frames {
				v, ok := p.Victim()
				if ok {
					s.victim = int64(v.VPN)
				}
			}
			p.Insert(pg)
		}
		p.Touch(pg)
		for _, q := range p.Resident() {
			s.frames = append(s.frames, q.VPN)
		}
		out = append(out, s)
	}
	return out
}

func contains(ps []Page, p Page) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func misses(steps []step) int {
	n := 0
	for _, s := range steps {
		if !s.hit {
			n++
		}
	}
	return n
}

func mustPolicy(t *testing.T, name string, p Params) Policy {
	t.Helper()
	pol, err := NewPolicy(name, p)
	require.NoError(t, err)
	require.Equal(t, name, pol.Name())
	return pol
}

func TestBeladyAnomalyUnderFIFO(t *testing.T) {
	refs := []uint64{1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5}
	three := misses(drive(mustPolicy(t, "fifo", Params{}), 3, refs))
	four := misses(drive(mustPolicy(t, "fifo", Params{}), 4, refs))
	assert.Equal(t, 9, three, "fifo misses with 3 frames")
	assert.Equal(t, 10, four, "fifo misses with 4 frames")
	assert.Greater(t, four, three, "Belady's anomaly: more frames, more faults")
	// LRU is a stack algorithm: no anomaly.
	assert.LessOrEqual(t, misses(drive(mustPolicy(t, "lru", Params{}), 4, refs)),
		misses(drive(mustPolicy(t, "lru", Params{}), 3, refs)))
}

func TestPolicyVictims(t *testing.T) {
	refs := []uint64{0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1}
	cases := []struct {
		name    string
		params  Params
		victims string // victims in order
		misses  int
	}{
		{"fifo", Params{}, "0 1 2 3", 7},
		{"lru", Params{}, "2 0", 5},
		{"mru", Params{}, "1 3", 5},
		{"opt", Params{Future: refs}, "2 3", 5},
		{"unopt", Params{Future: refs}, "0 3 1 2 1 0", 9},
		{"clock", Params{}, "0 1 2 3", 7}, // all counts fall to zero before the hand comes back
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps := drive(mustPolicy(t, c.name, c.params), 3, refs)
			var v []string
			for _, s := range steps {
				if s.victim >= 0 {
					v = append(v, strconv.FormatInt(s.victim, 10))
				}
			}
			assert.Equal(t, c.victims, strings.Join(v, " "), "victims")
			assert.Equal(t, c.misses, misses(steps), "misses")
		})
	}
}

func TestClockSecondChance(t *testing.T) {
	p := mustPolicy(t, "clock", Params{})
	for i := uint64(0); i < 3; i++ {
		p.Insert(Page{VPN: i})
	}
	p.Touch(Page{VPN: 0})
	v, _ := p.Victim()
	assert.Equal(t, uint64(1), v.VPN, "page 0 was referenced: it gets a second chance")
	p.Insert(Page{VPN: 3})
	assert.Equal(t, []Page{{VPN: 0}, {VPN: 3}, {VPN: 2}}, p.Resident(), "the new page takes the victim's frame")
	v, _ = p.Victim()
	assert.Equal(t, uint64(2), v.VPN, "the hand moved past the new page; 0 lost its chance on the last sweep")
	p.Remove(Page{VPN: 0})
	v, _ = p.Victim()
	assert.Equal(t, uint64(3), v.VPN)
	_, ok := p.Victim()
	assert.False(t, ok, "Victim() with nothing resident")
}

func TestRandIsSeeded(t *testing.T) {
	refs := []uint64{1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7, 1, 2}
	a := drive(mustPolicy(t, "rand", Params{Seed: 42}), 3, refs)
	b := drive(mustPolicy(t, "rand", Params{Seed: 42}), 3, refs)
	assert.Equal(t, a, b, "same seed, same victims")
}

func TestRemoveForgets(t *testing.T) {
	for _, name := range PolicyNames() {
		t.Run(name, func(t *testing.T) {
			p := mustPolicy(t, name, Params{ClockRandomHand: name == "clock"})
			p.Insert(Page{VPN: 1})
			p.Insert(Page{VPN: 2})
			p.Remove(Page{VPN: 1})
			p.Remove(Page{VPN: 9}) // not resident: ignored
			assert.Equal(t, []Page{{VPN: 2}}, p.Resident())
			v, ok := p.Victim()
			assert.True(t, ok)
			assert.Equal(t, uint64(2), v.VPN)
			assert.Empty(t, p.Resident())
		})
	}
}

func TestUnknownPolicy(t *testing.T) {
	_, err := NewPolicy("lfu", Params{})
	assert.ErrorContains(t, err, `"lfu"`)
}

// TestPoliciesMatchOSTEP drives each policy alone, as the lab's mm drives
// it, through every traced case of paging-policy.py in
// tests/testdata/ostep-paging, and compares hit or miss, the victim and
// the memory contents at every reference. The lab checks the same cases
// through the kernel.
func TestPoliciesMatchOSTEP(t *testing.T) {
	cases, err := ostepcase.Load("../../tests/testdata/ostep-paging/*.txt")
	require.NoError(t, err)
	line := regexp.MustCompile(`(?m)^Access: (\d+)\s+(MISS|HIT ) .*?\[([\d, ]*)\] <- .*Replaced:(-|\d+)`)
	final := regexp.MustCompile(`FINALSTATS hits (\d+)\s+misses (\d+)`)
	for _, c := range cases {
		t.Run(filepath.Base(c.File), func(t *testing.T) {
			out := c.Out
			o := ostepArgs(c.Args)
			r := pyrand.New(o.seed)
			refs := o.refs
			if refs == nil {
				for range o.n {
					refs = append(refs, uint64(float64(o.maxpage)*r.Random()))
				}
			}
			name := strings.ToLower(o.policy)
			p := mustPolicy(t, name, Params{Rand: r, ClockBits: o.bits, ClockRandomHand: true, Future: refs})
			steps := drive(p, o.frames, refs)
			for i, m := range line.FindAllStringSubmatch(out, -1) {
				require.Less(t, i, len(steps))
				s := steps[i]
				want := fmt.Sprintf("%s %s [%s]", m[1], strings.TrimSpace(m[2]), m[3])
				got := fmt.Sprintf("%d %s [%s]", refs[i], map[bool]string{true: "HIT", false: "MISS"}[s.hit], joinU(s.frames))
				require.Equal(t, want, got, "reference %d", i)
				wantV := m[4]
				gotV := "-"
				if s.victim >= 0 {
					gotV = strconv.FormatInt(s.victim, 10)
				}
				require.Equal(t, wantV, gotV, "victim at reference %d", i)
			}
			fm := final.FindStringSubmatch(out)
			require.NotNil(t, fm)
			assert.Equal(t, fm[2], strconv.Itoa(misses(steps)), "misses")
			assert.Equal(t, fm[1], strconv.Itoa(len(steps)-misses(steps)), "hits")
		})
	}
}

func joinU(v []uint64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatUint(x, 10)
	}
	return strings.Join(s, ", ")
}

type ostepOpts struct {
	refs             []uint64
	policy           string
	seed             int64
	n, maxpage, bits int
	frames           int
}

// ostepArgs parses paging-policy.py's flags, with its defaults.
func ostepArgs(args []string) ostepOpts {
	o := ostepOpts{policy: "FIFO", n: 10, maxpage: 10, bits: 2, frames: 3}
	for i := 0; i < len(args); i++ {
		v := ""
		if i+1 < len(args) {
			v = args[i+1]
		}
		atoi := func() int { n, _ := strconv.Atoi(v); i++; return n }
		switch args[i] {
		case "-a":
			if v != "-1" {
				for _, s := range strings.Split(v, ",") {
					n, _ := strconv.ParseUint(s, 10, 64)
					o.refs = append(o.refs, n)
				}
			}
			i++
		case "-p":
			o.policy = v
			i++
		case "-s":
			o.seed = int64(atoi())
		case "-n":
			o.n = atoi()
		case "-m":
			o.maxpage = atoi()
		case "-b":
			o.bits = atoi()
		case "-C":
			o.frames = atoi()
		}
	}
	return o
}
