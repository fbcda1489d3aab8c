package paginglab

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// labTask is the user task that makes the references: page n of the
// reference string is page n of a region it maps, and each reference is
// a one-byte Load through the MMU. After each it tells mm of the
// reference (Ref: the policy's exact reference, hits included) and reads
// back what mm holds (Resident).
//
// Whether a reference hit is the kernel's answer, not mm's: the task's
// fault counters (MemStats) grew or they did not. mm's Ref reply must
// agree, or the lab stops with an error.
type labTask struct {
	refs   []uint64
	frames int
	res    *Result
	err    error
}

func (lt *labTask) body(sys ipc.Sys) {
	lt.err = lt.run(sys)
}

func (lt *labTask) run(sys ipc.Sys) error {
	c, err := mmproto.Dial(sys)
	if err != nil {
		return err
	}
	top := uint64(0)
	for _, p := range lt.refs {
		top = max(top, p+1)
	}
	base, err := c.Mmap(labBase, top*ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous|mmproto.MapFixed, 0)
	if err != nil {
		return fmt.Errorf("mmap of %d pages: %w", top, err)
	}
	buf := make([]byte, 8*(lt.frames+1))
	var b [1]byte
	hits, misses := 0, 0
	for i, p := range lt.refs {
		va := base + p*ipc.PageSize
		before := faults(sys.MemStats())
		if err := sys.Load(va, b[:]); err != nil {
			return fmt.Errorf("reference %d (page %d): %w", i, p, err)
		}
		hit := faults(sys.MemStats()) == before
		ref, err := c.Ref(va)
		if err != nil {
			return fmt.Errorf("reference %d: ref: %w", i, err)
		}
		if ref.Miss == hit {
			return fmt.Errorf("reference %d (page %d): the kernel says hit=%v, mm says miss=%v", i, p, hit, ref.Miss)
		}
		resident, err := c.Resident(buf)
		if err != nil {
			return fmt.Errorf("reference %d: resident: %w", i, err)
		}
		if hit {
			hits++
		} else {
			misses++
		}
		st := Step{Ref: p, Hit: hit, Hits: hits, Misses: misses, Frames: make([]uint64, 0, len(resident))}
		if ref.Evicted {
			v := (ref.VictimVA - base) / ipc.PageSize
			st.Victim = &v
		}
		for _, a := range resident {
			st.Frames = append(st.Frames, (a-base)/ipc.PageSize)
		}
		lt.res.Steps = append(lt.res.Steps, st)
	}
	return nil
}

func faults(m ipc.MemStats) int64 { return m.MinorFaults + m.MajorFaults }
