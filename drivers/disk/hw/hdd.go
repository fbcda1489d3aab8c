package hw

import "math"

// HDDParams are the mechanical figures of a hard disk.
type HDDParams struct {
	// RPM is the spindle speed.
	RPM int
	// TrackToTrackNs is a seek to the neighbouring cylinder, settling
	// included.
	TrackToTrackNs int64
	// AvgSeekNs is the datasheet's average seek: the seek across a third
	// of the cylinders, the mean distance between two random ones.
	AvgSeekNs int64
	// MediaBytesPerSec is the sustained transfer rate between the platter
	// and the drive's buffer. With RPM it sets how many blocks a track
	// holds.
	MediaBytesPerSec int64
}

// DefaultHDD is a 7200 rpm 3.5-inch desktop drive of about 2010. Sources:
//
//   - average seek 8.5 ms (read, typical): Hitachi Deskstar 7K1000.C Hard
//     Disk Drive Specification, §4.5.2.1 "Average seek time", table 9,
//     two-disk model (writes: 9.5 ms; the model does not tell them apart);
//   - track-to-track 1.0 ms (read, typical) and 7200 rpm, that is 8.3 ms a
//     revolution and 4.2 ms average rotational latency: Hitachi 7K320 OEM
//     Specification, §4.4.2.3 table 7 "Single track seek time" and §4.4.2.4
//     table 8 "Latency time";
//   - media rate 100 MB/s: an assumption, a round figure for drives of that
//     generation, not taken from either datasheet.
var DefaultHDD = HDDParams{RPM: 7200, TrackToTrackNs: 1_000_000, AvgSeekNs: 8_500_000, MediaBytesPerSec: 100_000_000}

// hdd is the latency model of a hard disk. LECTURE: disk-latency
//
// Geometry: blocks fill a track in order, tracks fill the platter from the
// outside in, and a cylinder is one track (one surface: a simplification
// that keeps seek distance and block distance proportional). A track holds
// as many blocks as pass under the head in one revolution at the media
// rate, so the transfer rate and the geometry agree. The image, whatever
// its size, spans the arm's whole stroke: a small image behaves like a whole
// drive scaled down, so scheduling shows on a disk of a few MiB.
//
// An operation costs seek + rotation + transfer:
//
//  1. seek: the arm moves to the first block's cylinder (seekNs);
//  2. rotation: the head waits until the first block turns under it. The
//     platter is at angle 0 at virtual time 0 and turns at RPM, so the wait
//     is a function of the virtual time the seek ends: no randomness;
//  3. transfer: the blocks pass under the head at the media rate.
//
// An operation that starts at the block right after the previous one
// (sequential) costs the transfer only: a real drive's read-ahead and
// track buffer hide the revolution the driver's processing would
// otherwise miss. Head switches and zones are not modelled.
type hdd struct {
	p         HDDParams
	blockSize int64
	revNs     int64 // one revolution
	perTrack  int64 // blocks a track holds
	cylinders int64

	cyl  int64 // where the arm is
	next int64 // the block after the last one transferred
}

func newHDD(p HDDParams, blockSize int, blocks int64) *hdd {
	h := &hdd{p: p, blockSize: int64(blockSize), revNs: 60_000_000_000 / int64(p.RPM)}
	h.perTrack = max(p.MediaBytesPerSec*h.revNs/1_000_000_000/h.blockSize, 1)
	h.cylinders = (blocks + h.perTrack - 1) / h.perTrack
	return h
}

func (h *hdd) plan(now int64, _ bool, block int64, count int) Timing {
	var t Timing
	if block != h.next {
		t.Cylinders = abs(block/h.perTrack - h.cyl)
		t.SeekNs = h.seekNs(t.Cylinders)
		t.RotationNs = h.rotationNs(now+t.SeekNs, block)
	}
	t.TransferNs = transferNs(int64(count)*h.blockSize, h.p.MediaBytesPerSec)
	last := block + int64(count) - 1
	h.cyl, h.next = last/h.perTrack, last+1
	return t
}

// seekNs is the time to move the arm d cylinders: nothing for 0, the
// track-to-track time for 1, and growing with the square root of the
// distance beyond (the arm accelerates, then coasts: Ruemmler and Wilkes,
// "An introduction to disk drive modeling", IEEE Computer 27(3), 1994), so
// that a third of the cylinders takes the average seek time.
func (h *hdd) seekNs(d int64) int64 {
	if d <= 0 {
		return 0
	}
	third := max(float64(h.cylinders)/3, 2)
	x := math.Sqrt(float64(d-1) / (third - 1))
	return h.p.TrackToTrackNs + int64(math.Round(float64(h.p.AvgSeekNs-h.p.TrackToTrackNs)*x))
}

// rotationNs is the wait, from virtual time t, until block comes under the
// head: the block sits at angle (block mod perTrack)/perTrack of its track.
func (h *hdd) rotationNs(t, block int64) int64 {
	at := block % h.perTrack * h.revNs / h.perTrack
	return (at - t%h.revNs + h.revNs) % h.revNs
}

// reset parks the arm at cylinder 0, as at power-on.
func (h *hdd) reset() { h.cyl, h.next = 0, 0 }

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// transferNs is the time to move n bytes at rate bytes per second.
func transferNs(n, rate int64) int64 { return n * 1_000_000_000 / rate }
