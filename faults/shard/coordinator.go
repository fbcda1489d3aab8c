//go:build !js

package shard

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/mkos/mkos/faults"
)

// Run runs the campaign of o over NATS workers and returns its report:
// the report faults.Run gives for the same campaign, run for run.
//
// The protocol, as numbered steps:
//  1. The campaign is prepared here (defaults, checks, plan), so a bad one
//     fails before anything is sent.
//  2. Its runs are cut into ranges; each range is one message on the work
//     queue, carrying the campaign's options and configuration text.
//  3. A worker takes a range, makes its runs (telling the server after
//     each that it is still on it), stores the result in the result
//     stream under the id campaign.range, then acknowledges the range,
//     which leaves the queue.
//  4. A worker that dies or goes silent for AckWait before acknowledging
//     loses the range to another worker, which makes it again: its result
//     is stored once (the same message id) and kept here once (by range
//     id, a second copy replacing the first).
//  5. When every range has a result, the runs are put back in order and
//     added up; the campaign's messages are purged.
func Run(ctx context.Context, o Options) (*faults.Report, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	pc, err := faults.Prepare(o.Campaign)
	if err != nil {
		return nil, err
	}
	sp, err := newSpec(pc.Campaign())
	if err != nil {
		return nil, err
	}
	cl, err := connect(o.URL, o.Workers)
	if err != nil {
		return nil, err
	}
	defer cl.close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	js, err := jetstream.New(cl.conns[0])
	if err != nil {
		return nil, err
	}
	if err := ensureStreams(ctx, js); err != nil {
		return nil, err
	}
	if _, err := js.CreateOrUpdateConsumer(ctx, workStream, consumerConfig(o.AckWait)); err != nil {
		return nil, fmt.Errorf("the work queue's consumer: %w", err)
	}
	workerErrs := cl.startWorkers(ctx, &o)
	c := pc.Campaign()
	rs := ranges(c.Runs(), cmpOr(o.RangeRuns, rangeSize(c.Runs(), max(o.Workers, 1))))
	defer purge(js, sp.ID)
	if err := publish(ctx, js, sp, rs); err != nil {
		return nil, err
	}
	col := newCollector(rs, c.Progress, o.Log)
	if err := col.read(ctx, js, sp.ID, workerErrs); err != nil {
		return nil, err
	}
	return pc.Report(col.runs()), nil
}

// newSpec is the campaign as it goes to the workers.
func newSpec(c faults.Campaign) (spec, error) {
	sp := spec{ID: nuid.Next(), Campaign: c}
	sp.Campaign.Base, sp.Campaign.Progress = nil, nil
	if c.Base != nil {
		if c.ConfigPath == "" {
			return sp, errors.New("a sharded campaign's configuration must come from a file (Campaign.ConfigPath), for the workers")
		}
		text, err := os.ReadFile(c.ConfigPath)
		if err != nil {
			return sp, err
		}
		sp.ConfigText = text
	}
	return sp, nil
}

// publish puts every range on the work queue.
func publish(ctx context.Context, js jetstream.JetStream, sp spec, rs []Range) error {
	for _, r := range rs {
		data, err := encode(&work{Spec: sp, Range: r})
		if err != nil {
			return err
		}
		id := fmt.Sprintf("%s.%d.work", sp.ID, r.ID)
		if _, err := js.Publish(ctx, workSubject+"."+sp.ID, data, jetstream.WithMsgID(id)); err != nil {
			return fmt.Errorf("queueing range %d: %w", r.ID, err)
		}
	}
	return nil
}

// purge removes what is left of campaign id in both streams: nothing
// after a whole campaign but its results, ranges too after one stopped.
func purge(js jetstream.JetStream, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for stream, subj := range map[string]string{workStream: workSubject + "." + id, resultStream: resultSubject + "." + id} {
		if s, err := js.Stream(ctx, stream); err == nil {
			s.Purge(ctx, jetstream.WithPurgeSubject(subj))
		}
	}
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

// cluster is the connections of a sharded campaign: the first is the
// campaign's own, one more per local worker; and the server, when it is
// this process's.
type cluster struct {
	conns []*nats.Conn
	stop  func()
	wg    sync.WaitGroup
}

// connect opens 1+workers connections to url, or to a server started here
// when url is empty.
func connect(url string, workers int) (*cluster, error) {
	cl := &cluster{stop: func() {}}
	var opts []nats.Option
	if url == "" {
		srv, stop, err := embedded()
		if err != nil {
			return nil, err
		}
		cl.stop, url = stop, srv.ClientURL()
		opts = append(opts, nats.InProcessServer(srv))
	}
	opts = append(opts, nats.Name("mkos faults"), nats.Timeout(5*time.Second), nats.MaxReconnects(-1))
	for range 1 + workers {
		nc, err := nats.Connect(url, opts...)
		if err != nil {
			cl.close()
			return nil, fmt.Errorf("--nats %s: %w", url, err)
		}
		cl.conns = append(cl.conns, nc)
	}
	return cl, nil
}

// startWorkers starts a worker on each connection but the first; their
// errors come on the channel.
func (cl *cluster) startWorkers(ctx context.Context, o *Options) <-chan error {
	errs := make(chan error, len(cl.conns))
	host, _ := os.Hostname()
	for k, nc := range cl.conns[1:] {
		w := &Worker{Name: fmt.Sprintf("%s/%d/local%d", host, os.Getpid(), k), Parallel: 1, Log: o.Log}
		if o.die != nil {
			w.die = func(r Range, i int, sent bool) bool { return o.die(k, r, i, sent) }
		}
		cl.wg.Go(func() {
			if err := w.Serve(ctx, nc); err != nil && ctx.Err() == nil {
				errs <- err
			}
		})
	}
	return errs
}

// close closes the connections, waits for the local workers and stops
// the server.
func (cl *cluster) close() {
	for _, nc := range cl.conns {
		nc.Close()
	}
	cl.wg.Wait()
	cl.stop()
}
