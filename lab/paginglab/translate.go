package paginglab

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
)

// Translation is one address walked through a task's page table.
type Translation struct {
	VA    uint64            `json:"va"`
	Steps []kernel.WalkStep `json:"steps"`
	PA    uint64            `json:"pa"`
	Fault bool              `json:"fault"`
}

// Walks is what `mkos vm translate` shows.
type Walks struct {
	Task         string          `json:"task"`
	Pages        []uint64        `json:"pages"` // virtual page numbers the task touched
	Translations []Translation   `json:"translations"`
	Frames       []ipc.FrameInfo `json:"frames"`
}

// Translate boots a kernel with mm, runs a task that maps and touches
// each virtual page in pages (a Store when write, else a Load), and walks
// its page table for each address in vas while the task is alive, as the
// MMU would (without touching the TLB or the accessed bits). trace, when
// not nil, gets every kernel event.
func Translate(pages, vas []uint64, write bool, trace kernel.Tracer) (*Walks, error) {
	for _, p := range pages {
		if p == 0 || p >= ipc.VALimit/ipc.PageSize {
			return nil, fmt.Errorf("task page %#x: pages run from 1 to %#x (page 0 is never mapped)", p, ipc.VALimit/ipc.PageSize-1)
		}
	}
	k, err := kernel.New(kernel.Config{Seed: 1, Trace: trace})
	if err != nil {
		return nil, err
	}
	if _, err := k.Place(mmproto.Name, mm.NewWith(mm.Options{NoStash: true, SwapService: "-"})); err != nil {
		return nil, err
	}
	w := &Walks{Pages: pages}
	var failed error
	_, err = k.Spawn(ipc.TaskSpec{Name: "lecture", Body: func(sys ipc.Sys) {
		failed = touch(sys, pages, write)
		if failed != nil {
			return
		}
		w.Task = sys.Self().String()
		for _, va := range vas {
			steps, pa, err := k.Translate(sys.Self(), va)
			if err != nil && ipc.ErrnoOf(err) != ipc.ErrFault {
				failed = fmt.Errorf("%#x: %w", va, err)
				return
			}
			w.Translations = append(w.Translations, Translation{VA: va, Steps: steps, PA: pa, Fault: err != nil})
		}
		w.Frames = k.FrameTable()
	}})
	if err != nil {
		return nil, err
	}
	if err := k.Run(); err != nil {
		return nil, err
	}
	if failed == nil && w.Frames == nil {
		failed = fmt.Errorf("the task died touching its pages: mm refused a page")
	}
	return w, failed
}

// touch maps and touches each page.
func touch(sys ipc.Sys, pages []uint64, write bool) error {
	c, err := mmproto.Dial(sys)
	if err != nil {
		return err
	}
	var b [1]byte
	for _, p := range pages {
		va := p * ipc.PageSize
		if _, err := c.Mmap(va, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous|mmproto.MapFixed, 0); err != nil {
			return fmt.Errorf("map page %#x: %w", p, err)
		}
		if write {
			err = sys.Store(va, b[:])
		} else {
			err = sys.Load(va, b[:])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Write prints the walks for a lecture slide.
func (w *Walks) Write(out io.Writer) {
	ps := make([]string, len(w.Pages))
	for i, p := range w.Pages {
		ps[i] = fmt.Sprintf("%#x", p)
	}
	fmt.Fprintf(out, "task %s mapped and touched virtual pages %s\n", w.Task, strings.Join(ps, ", "))
	for _, t := range w.Translations {
		fmt.Fprintf(out, "\ntranslate 0x%08x:\n", t.VA)
		for _, s := range t.Steps {
			fmt.Fprintf(out, "  %s\n", s)
		}
	}
	fmt.Fprintln(out, "\nframe table (used frames):")
	for _, f := range w.Frames {
		fmt.Fprintf(out, "  frame %d: %d mapping(s), task %s at 0x%08x\n", f.Frame, f.Mappings, f.Task, f.VA)
	}
}

// MaxRange is the most pages one range of ParsePages may hold.
const MaxRange = 1 << 16

// ParsePages parses a list of page numbers or addresses: "1,2,0x10-0x12"
// (decimal or 0x hex, with inclusive ranges).
func ParsePages(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(f, "-")
		a, err := strconv.ParseUint(lo, 0, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 0, 64); err != nil || b < a {
				return nil, fmt.Errorf("%q is not a range like 4-7", f)
			}
			if b-a >= MaxRange {
				return nil, fmt.Errorf("%q has %d pages: a range has at most %d", f, b-a+1, MaxRange)
			}
		}
		for x := a; x <= b; x++ {
			out = append(out, x)
		}
	}
	return out, nil
}
