package paginglab

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mkos/mkos/internal/pyrand"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
)

// Config is one lab run.
type Config struct {
	// Policy is a name in mm.Policies, in any case (paging-policy.py
	// writes FIFO, LRU, ...).
	Policy string
	// Frames is the number of page frames: mm's resident limit.
	Frames int
	// Refs is the reference string in page numbers; nil draws Count
	// references below MaxPage from Seed, as paging-policy.py does.
	Refs    []uint64
	Seed    int64
	Count   int
	MaxPage int
	// ClockBits is clock's counter limit (paging-policy.py's -b, default
	// 2); ClockSweep replaces the tool's random hand with a sweeping one.
	ClockBits  int
	ClockSweep bool
	// InKernel places mm in the kernel instead of its own task.
	InKernel bool
	// Trace, when set, gets every kernel event of the run (mkos vm
	// --trace).
	Trace kernel.Tracer
	// MaxTimeNs, when positive, stops the run at this virtual time (mkos
	// vm --max-time); Run then fails with ErrTimeLimit if references were
	// left.
	MaxTimeNs int64
}

// ErrTimeLimit is the error of a run stopped at Config.MaxTimeNs with
// references left.
var ErrTimeLimit = errors.New("the virtual time limit was reached")

// Step is what one reference did.
type Step struct {
	Ref    uint64   `json:"ref"`
	Hit    bool     `json:"hit"`
	Victim *uint64  `json:"victim"` // nil: no page was evicted
	Frames []uint64 `json:"frames"` // resident pages in the policy's order
	Hits   int      `json:"hits"`   // so far
	Misses int      `json:"misses"` // so far
}

// Result is a whole run.
type Result struct {
	Policy  string   `json:"policy"`
	Frames  int      `json:"frames"`
	Refs    []uint64 `json:"refs"`
	Steps   []Step   `json:"steps"`
	Hits    int      `json:"hits"`
	Misses  int      `json:"misses"`
	HitRate float64  `json:"hit_rate"` // percent
	// What the kernel and mm counted.
	PageFaults int64  `json:"page_faults"`
	Evictions  int64  `json:"evictions"`
	Placement  string `json:"mm_placement"`
	Task       string `json:"task"`
	VirtualNs  int64  `json:"virtual_ns"`
}

// labBase is where the lab task maps page 0 of the reference string.
const labBase = mmproto.MmapBase

// maxPages bounds the page numbers: the lab task's region must fit in its
// 32-bit address space above labBase.
const maxPages = (ipc.VALimit - labBase) / ipc.PageSize

// References returns cfg's reference string, and the generator in the
// state paging-policy.py leaves it for its policies (after drawing the
// references, if it drew them).
func (cfg *Config) References() ([]uint64, *pyrand.Rand) {
	r := pyrand.New(cfg.Seed)
	if cfg.Refs != nil {
		return cfg.Refs, r
	}
	refs := make([]uint64, 0, cfg.Count)
	for range cfg.Count {
		refs = append(refs, uint64(float64(cfg.MaxPage)*r.Random()))
	}
	return refs, r
}

// check validates cfg and fills defaults.
func (cfg *Config) check() error {
	cfg.Policy = strings.ToLower(cfg.Policy)
	if _, ok := mm.Policies[cfg.Policy]; !ok {
		return fmt.Errorf("policy: %q is not one of %s", cfg.Policy, strings.Join(mm.PolicyNames(), ", "))
	}
	if cfg.Frames < 1 || cfg.Frames > 4096 {
		return fmt.Errorf("frames: %d is out of range 1..4096", cfg.Frames)
	}
	if cfg.ClockBits == 0 {
		cfg.ClockBits = 2
	}
	if cfg.ClockBits < 1 {
		return fmt.Errorf("clockbits: %d must be at least 1", cfg.ClockBits)
	}
	if cfg.Refs == nil && (cfg.Count < 1 || cfg.MaxPage < 1) {
		return fmt.Errorf("count and maxpage must be at least 1 to draw references")
	}
	if cfg.Refs != nil && len(cfg.Refs) == 0 {
		return fmt.Errorf("refs: no references")
	}
	for _, p := range cfg.Refs {
		if p >= maxPages {
			return fmt.Errorf("refs: page %d is above the lab's %d pages", p, maxPages-1)
		}
	}
	if cfg.Refs == nil && uint64(cfg.MaxPage) > maxPages {
		return fmt.Errorf("maxpage: %d is above the lab's %d pages", cfg.MaxPage, maxPages)
	}
	return nil
}

// Run executes the references in a user task under a kernel with mm, and
// reports what happened at each.
func Run(cfg Config) (*Result, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	refs, r := cfg.References()
	future := make([]uint64, len(refs)) // as virtual page numbers of the lab task
	for i, p := range refs {
		future[i] = labBase/ipc.PageSize + p
	}
	srv := mm.NewWith(mm.Options{
		Policy: cfg.Policy, ResidentLimit: cfg.Frames, ExactRefs: true, SwapService: "-", NoStash: true,
		Params: mm.Params{Rand: r, ClockBits: cfg.ClockBits, ClockRandomHand: !cfg.ClockSweep, Future: future},
	})
	k, err := kernel.New(kernel.Config{Seed: 1, Memory: kernel.MemConfig{Frames: max(1024, 2*cfg.Frames)}, Trace: cfg.Trace, MaxTimeNs: cfg.MaxTimeNs})
	if err != nil {
		return nil, err
	}
	res := &Result{Policy: cfg.Policy, Frames: cfg.Frames, Refs: refs, Placement: "user"}
	if cfg.InKernel {
		res.Placement = "kernel"
		_, err = k.Place(mmproto.Name, srv)
	} else {
		_, err = k.Declare(mmproto.Name)
		if err == nil {
			_, err = k.Spawn(ipc.TaskSpec{Name: "mm", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, mmproto.Name, srv) }})
		}
	}
	if err != nil {
		return nil, err
	}
	lt := &labTask{refs: refs, frames: cfg.Frames, res: res}
	ep, err := k.Spawn(ipc.TaskSpec{Name: "paging-lab", Body: lt.body})
	if err != nil {
		return nil, err
	}
	res.Task = ep.String()
	if err := k.Run(); err != nil {
		return nil, err
	}
	if lt.err != nil {
		return nil, lt.err
	}
	if k.TimeLimitHit() && len(res.Steps) < len(refs) {
		return nil, fmt.Errorf("%d of %d references made by %s: %w", len(res.Steps), len(refs), kernel.FormatNs(cfg.MaxTimeNs), ErrTimeLimit)
	}
	if len(res.Steps) != len(refs) {
		return nil, fmt.Errorf("the lab task stopped after %d of %d references", len(res.Steps), len(refs))
	}
	res.Hits, res.Misses = res.Steps[len(refs)-1].Hits, res.Steps[len(refs)-1].Misses
	res.HitRate = 100 * float64(res.Hits) / float64(len(refs))
	res.PageFaults, res.Evictions, res.VirtualNs = k.Stats().PageFaults, srv.Stats().Evictions, k.Now()
	return res, nil
}
