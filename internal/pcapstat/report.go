package pcapstat

import (
	"fmt"
	"io"
)

// Summary writes one paragraph per flow: bytes, segments,
// retransmissions, duplicate ACKs, duration, goodput and the largest
// bytes in flight.
func Summary(w io.Writer, flows []*Flow) {
	if len(flows) == 0 {
		fmt.Fprintln(w, "no TCP data flows")
		return
	}
	for i, f := range flows {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "flow %s -> %s\n", f.Src, f.Dst)
		fmt.Fprintf(w, "  data bytes %d in %d segments (%d segments in all)\n", f.DataBytes, f.DataSegments, f.Segments)
		pct := 0.0
		if f.DataSegments > 0 {
			pct = 100 * float64(f.Retransmits) / float64(f.DataSegments)
		}
		fmt.Fprintf(w, "  retransmitted segments %d (%.1f%%, %d bytes), duplicate acks %d\n", f.Retransmits, pct, f.RetransBytes, f.DupAcks)
		fmt.Fprintf(w, "  duration %.3f ms, goodput %.2f Mbit/s, max in flight %d bytes\n",
			float64(f.LastNs-f.FirstNs)/1e6, f.GoodputBps()/1e6, f.MaxInFlight())
	}
}

// Series writes flow f's bytes in flight over time in intervals of
// intervalNs from its first segment: per interval the largest bytes in
// flight (what was in flight when it began counts) and the
// retransmissions — columns a plot reads (time in ms).
func Series(w io.Writer, f *Flow, intervalNs int64) {
	fmt.Fprintf(w, "# flow %s -> %s, interval %.3f ms\n", f.Src, f.Dst, float64(intervalNs)/1e6)
	fmt.Fprintf(w, "%10s %12s %8s\n", "time_ms", "inflight_max", "retrans")
	if intervalNs <= 0 || len(f.Samples) == 0 {
		return
	}
	bucket, peak, now, retrans := int64(0), int64(0), int64(0), 0
	flush := func() {
		fmt.Fprintf(w, "%10.3f %12d %8d\n", float64(bucket*intervalNs)/1e6, peak, retrans)
	}
	for _, s := range f.Samples {
		b := (s.TimeNs - f.FirstNs) / intervalNs
		for b > bucket {
			flush()
			bucket, peak, retrans = bucket+1, now, 0 // what is in flight stays until a sample changes it
		}
		now = s.InFlight
		peak = max(peak, now)
		if s.Retransmit {
			retrans++
		}
	}
	flush()
}
