package paginglab

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mkos/mkos/lab/osteptool"
)

// OSTEP is paging-policy.py's command line, kept as the tool keeps it:
// strings where it takes strings, so that its ARG lines can be printed as
// it prints them.
type OSTEP struct {
	Addresses   string // -a: comma-separated page numbers; "-1" draws them
	AddressFile string // -f: a file of page numbers, one a line
	NumAddrs    string // -n
	Policy      string // -p: FIFO, LRU, MRU, OPT, UNOPT, RAND, CLOCK
	ClockBits   int    // -b
	CacheSize   string // -C
	MaxPage     string // -m
	Seed        string // -s
	NoTrace     bool   // -N
	Compute     bool   // -c
}

// DefaultOSTEP returns the tool's defaults.
func DefaultOSTEP() OSTEP {
	return OSTEP{Addresses: "-1", NumAddrs: "10", Policy: "FIFO", ClockBits: 2, CacheSize: "3", MaxPage: "10", Seed: "0"}
}

// Config turns the tool's options into a lab run.
func (o *OSTEP) Config() (Config, error) {
	var cfg Config
	var err error
	if cfg.Frames, err = atoi("-C", o.CacheSize); err != nil {
		return cfg, err
	}
	if cfg.Count, err = atoi("-n", o.NumAddrs); err != nil {
		return cfg, err
	}
	if cfg.MaxPage, err = atoi("-m", o.MaxPage); err != nil {
		return cfg, err
	}
	seed, err := atoi("-s", o.Seed)
	if err != nil {
		return cfg, err
	}
	cfg.Seed, cfg.Policy, cfg.ClockBits = int64(seed), o.Policy, o.ClockBits
	switch {
	case o.AddressFile != "":
		data, err := os.ReadFile(o.AddressFile)
		if err != nil {
			return cfg, err
		}
		cfg.Refs, err = ParseRefs(strings.Join(strings.Fields(string(data)), ","))
		if err != nil {
			return cfg, fmt.Errorf("-f %s: %w", o.AddressFile, err)
		}
	case o.Addresses != "-1":
		if cfg.Refs, err = ParseRefs(o.Addresses); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

func atoi(flag, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not an integer", flag, s)
	}
	return n, nil
}

// ParseRefs parses comma-separated page numbers.
func ParseRefs(s string) ([]uint64, error) {
	refs := []uint64{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.ParseUint(f, 0, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a page number", f)
		}
		refs = append(refs, n)
	}
	return refs, nil
}

// WriteArgs prints the tool's ARG lines.
func (o *OSTEP) WriteArgs(w io.Writer) {
	fmt.Fprintln(w, "ARG addresses", o.Addresses)
	fmt.Fprintln(w, "ARG addressfile", o.AddressFile)
	fmt.Fprintln(w, "ARG numaddrs", o.NumAddrs)
	fmt.Fprintln(w, "ARG policy", o.Policy)
	fmt.Fprintln(w, "ARG clockbits", o.ClockBits)
	fmt.Fprintln(w, "ARG cachesize", o.CacheSize)
	fmt.Fprintln(w, "ARG maxpage", o.MaxPage)
	fmt.Fprintln(w, "ARG seed", o.Seed)
	fmt.Fprintln(w, "ARG notrace", osteptool.PyBool(o.NoTrace))
	fmt.Fprintln(w)
}

// WriteQuestions prints what the tool prints without -c: the references,
// to be answered by hand.
func (o *OSTEP) WriteQuestions(w io.Writer, cfg Config) {
	refs, _ := cfg.References()
	fmt.Fprintf(w, "Assuming a replacement policy of %s, and a cache of size %d pages,\n", o.Policy, cfg.Frames)
	fmt.Fprintln(w, "figure out whether each of the following page references hit or miss")
	fmt.Fprintln(w, "in the page cache.")
	fmt.Fprintln(w)
	for _, r := range refs {
		fmt.Fprintf(w, "Access: %d  Hit/Miss?  State of Memory?\n", r)
	}
	fmt.Fprintln(w)
}

// WriteOSTEP prints r as paging-policy.py -c prints its answers, byte for
// byte: the ARG lines, the trace (unless -N) and the final statistics.
func (r *Result) WriteOSTEP(w io.Writer, o *OSTEP) {
	o.WriteArgs(w)
	left, right := sides(r.Policy)
	if !o.NoTrace {
		fmt.Fprint(w, "Solving...\n\n")
		for _, s := range r.Steps {
			hm, victim := "HIT ", "-"
			if !s.Hit {
				hm = "MISS"
			}
			if s.Victim != nil {
				victim = strconv.FormatUint(*s.Victim, 10)
			}
			fmt.Fprintf(w, "Access: %d  %s %s -> %12s <- %s Replaced:%s [Hits:%d Misses:%d]\n",
				s.Ref, hm, left, pyList(s.Frames), right, victim, s.Hits, s.Misses)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "FINALSTATS hits %d   misses %d   hitrate %.2f\n", r.Hits, r.Misses, r.HitRate)
	fmt.Fprintln(w)
}

// sides are the tool's labels for the two ends of its memory list.
func sides(policy string) (string, string) {
	switch policy {
	case "fifo":
		return "FirstIn", "Lastin "
	case "lru", "mru":
		return "LRU", "MRU"
	}
	return "Left ", "Right"
}

// pyList renders a list as Python's repr does: [1, 2, 3].
func pyList(v []uint64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatUint(x, 10)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
