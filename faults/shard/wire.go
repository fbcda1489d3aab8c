package shard

import (
	"bytes"
	"compress/flate"
	"encoding/gob"
	"fmt"
	"io"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/faults"
)

// The subjects and streams a sharded campaign uses. Every campaign on a
// cluster shares them; its id, in the subjects, keeps its work and its
// results apart from another's.
const (
	// workStream is the work queue: one message per range, deleted when a
	// worker acknowledges it (its result is in resultStream by then).
	workStream  = "MKOS_FAULTS_WORK"
	workSubject = "mkos.faults.work" // + "." + campaign id
	// resultStream keeps the ranges' results until the campaign reads
	// them; a result's message id is campaign.range, so a range made
	// twice is stored once.
	resultStream  = "MKOS_FAULTS_RESULTS"
	resultSubject = "mkos.faults.result" // + "." + campaign id
	// workers is the durable pull consumer every worker of every campaign
	// shares: JetStream hands each range to one of them.
	workers = "mkos-faults-workers"
)

// spec is a campaign as it crosses the wire: the options with the
// defaults filled (Base and Progress left out) and the text of its
// configuration file, which a worker on another machine may not have.
type spec struct {
	ID         string
	Campaign   faults.Campaign
	ConfigText []byte
}

// prepare rebuilds the campaign on a worker: the same options, the same
// plan, so the same runs.
func (s *spec) prepare() (*faults.Prepared, error) {
	c := s.Campaign
	if len(s.ConfigText) > 0 {
		cfg, err := boot.Parse(s.ConfigText)
		if err != nil {
			return nil, fmt.Errorf("campaign %s: %s: %w", s.ID, c.ConfigPath, err)
		}
		c.Base = &cfg
	}
	return faults.Prepare(c)
}

// Range is a run of consecutive runs of a campaign, [Lo, Hi): the unit of
// work a worker takes from the queue. ID is its place in the campaign's
// list of ranges, and what its result is kept under.
type Range struct {
	ID, Lo, Hi int
}

// work is one message of the work queue.
type work struct {
	Spec  spec
	Range Range
}

// result is what a worker sends back for a range: its runs, in order, or
// why it could not make them.
type result struct {
	Campaign string
	Range    Range
	Runs     []*faults.RunResult
	Err      string
	// Worker names who made it (host and number), for the progress line
	// and for debugging a cluster.
	Worker string
}

// encode is gob, deflated: a range's runs repeat the same service names
// and errnos, which compress several times over.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	zw, _ := flate.NewWriter(&b, flate.BestSpeed)
	if err := gob.NewEncoder(zw).Encode(v); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxDecoded bounds what a message may inflate to: a message off the
// wire is hostile until decoded, and a small deflate stream can unpack
// to gigabytes.
const maxDecoded = 64 << 20

// errTooBig is decode's error for a message past maxDecoded.
var errTooBig = fmt.Errorf("shard: a message inflates past %d bytes", maxDecoded)

// decode undoes encode into v.
func decode(data []byte, v any) error {
	zr := flate.NewReader(bytes.NewReader(data))
	defer zr.Close()
	lr := &io.LimitedReader{R: zr, N: maxDecoded + 1}
	if err := gob.NewDecoder(lr).Decode(v); err != nil {
		if lr.N <= 0 {
			return errTooBig
		}
		return err
	}
	if _, err := io.Copy(io.Discard, lr); err != nil {
		return err
	}
	if lr.N <= 0 {
		return errTooBig
	}
	return nil
}

// ranges cuts runs into ranges of at most size runs.
func ranges(runs, size int) []Range {
	var out []Range
	for lo := 0; lo < runs; lo += size {
		out = append(out, Range{ID: len(out), Lo: lo, Hi: min(lo+size, runs)})
	}
	return out
}

// rangeSize is the runs in a range when Options.RangeRuns is not set:
// about eight ranges per worker, so that the last ranges finish close
// together, and at most maxRangeRuns, so that a result stays well under
// NATS's message limit and a redelivered range redoes little.
func rangeSize(runs, workers int) int {
	per := (runs + 8*workers - 1) / (8 * max(workers, 1))
	return min(max(per, 1), maxRangeRuns)
}

// maxRangeRuns bounds a range: 64 runs' results are some tens of KB.
const maxRangeRuns = 64
