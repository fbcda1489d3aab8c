//go:build !js

package shard

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/mkos/mkos/faults"
)

// collector keeps the ranges' results as they come back, by range id: a
// range made twice (redelivered after its worker died or went silent) is
// kept once, the later copy replacing the earlier, which holds the same
// runs since a run is a pure function of its campaign and index.
type collector struct {
	ranges   []Range
	got      map[int]*result
	runsDone int
	progress func(done, total int)
	log      func(format string, args ...any)
	total    int
}

func newCollector(rs []Range, progress func(done, total int), log func(string, ...any)) *collector {
	total := 0
	if len(rs) > 0 {
		total = rs[len(rs)-1].Hi
	}
	return &collector{ranges: rs, got: map[int]*result{}, progress: progress, log: log, total: total}
}

// add keeps one result; an error for a result that does not fit the
// campaign, or that says its runs could not be made.
func (col *collector) add(res *result) error {
	r := res.Range
	if r.ID < 0 || r.ID >= len(col.ranges) || col.ranges[r.ID] != r {
		return fmt.Errorf("a result for range %+v, which the campaign does not have", r)
	}
	if res.Err != "" {
		return fmt.Errorf("worker %s, runs %d-%d: %s", res.Worker, r.Lo, r.Hi-1, res.Err)
	}
	if len(res.Runs) != r.Hi-r.Lo {
		return fmt.Errorf("worker %s sent %d runs for range %d, which has %d", res.Worker, len(res.Runs), r.ID, r.Hi-r.Lo)
	}
	for k, run := range res.Runs {
		if run == nil || run.Index != r.Lo+k {
			return fmt.Errorf("worker %s sent range %d's runs out of order", res.Worker, r.ID)
		}
	}
	if _, again := col.got[r.ID]; again {
		if col.log != nil {
			col.log("range %d came back again (from %s): kept once", r.ID, res.Worker)
		}
	} else {
		col.runsDone += len(res.Runs)
		if col.progress != nil {
			col.progress(col.runsDone, col.total)
		}
	}
	col.got[r.ID] = res
	return nil
}

// done reports whether every range has its result.
func (col *collector) done() bool { return len(col.got) == len(col.ranges) }

// runs are the campaign's runs in order; every range must be in.
func (col *collector) runs() []*faults.RunResult {
	out := make([]*faults.RunResult, 0, col.total)
	for _, r := range col.ranges {
		out = append(out, col.got[r.ID].Runs...)
	}
	return out
}

// read takes results from the result stream until every range has one,
// ctx ends, or a local worker fails.
func (col *collector) read(ctx context.Context, js jetstream.JetStream, id string, workerErrs <-chan error) error {
	cons, err := js.OrderedConsumer(ctx, resultStream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{resultSubject + "." + id}})
	if err != nil {
		return fmt.Errorf("reading the results: %w", err)
	}
	msgs, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("reading the results: %w", err)
	}
	defer msgs.Stop()
	type next struct {
		msg jetstream.Msg
		err error
	}
	in := make(chan next)
	go func() {
		for {
			m, err := msgs.Next()
			select {
			case in <- next{m, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for !col.done() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-workerErrs:
			return err
		case n := <-in:
			if n.err != nil {
				return fmt.Errorf("reading the results: %w", n.err)
			}
			var res result
			if err := decode(n.msg.Data(), &res); err != nil {
				return fmt.Errorf("a result that does not decode: %w", err)
			}
			if err := col.add(&res); err != nil {
				return err
			}
		}
	}
	return nil
}
