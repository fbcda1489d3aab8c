package paginglab

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mkos/mkos/kernel"
)

// Write prints r for people: one line per reference, then the totals.
func (r *Result) Write(w io.Writer) {
	left, right := sides(r.Policy)
	fmt.Fprintf(w, "paging lab: policy %s, %d frames, %d references, made by task %s through the MMU; mm in %s space\n\n",
		r.Policy, r.Frames, len(r.Refs), r.Task, r.Placement)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "#\tref\tresult\tvictim\tframes (%s -> %s)\n", strings.TrimSpace(left), strings.TrimSpace(right))
	for i, s := range r.Steps {
		res, victim := "hit", "-"
		if !s.Hit {
			res = "miss"
		}
		if s.Victim != nil {
			victim = fmt.Sprint(*s.Victim)
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", i, s.Ref, res, victim, pyList(s.Frames))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nhits %d, misses %d, hit rate %.2f%%\n", r.Hits, r.Misses, r.HitRate)
	fmt.Fprintf(w, "kernel: %d page faults sent to mm; mm: %d evictions; virtual time %s\n",
		r.PageFaults, r.Evictions, kernel.FormatNs(r.VirtualNs))
}

// JSON writes r as one JSON object.
func (r *Result) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
