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

	"github.com/mkos/mkos/faults"
)

// Worker takes ranges from the work queue of a NATS server and sends
// their results back, for any campaign on that server, until its context
// ends or its connection closes.
type Worker struct {
	// Name says who made a result (default: the host name and a number).
	Name string
	// Parallel is the ranges made at once (default 1).
	Parallel int
	// Log, when set, is told of each range made, one call at a time.
	Log func(format string, args ...any)

	// die is a test's hook: it may stop the worker (close its connection)
	// after run i of range r, before or after the result is sent.
	die func(r Range, i int, sent bool) bool

	mu       sync.Mutex
	prepared map[string]*faults.Prepared // by campaign id
}

// Join connects to the NATS server at url (a comma-separated list for a
// cluster) and serves until ctx ends; it waits for the server while it is
// away.
func (w *Worker) Join(ctx context.Context, url string) error {
	if err := CheckURL(url); err != nil {
		return err
	}
	nc, err := nats.Connect(url, nats.Name("mkos faults worker"), nats.Timeout(5*time.Second), nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("--nats %s: %w", url, err)
	}
	defer nc.Close()
	return w.Serve(ctx, nc)
}

// Serve runs the worker on nc until ctx ends or nc closes. It creates the
// streams and the consumer if no campaign has yet.
func (w *Worker) Serve(ctx context.Context, nc *nats.Conn) error {
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if err := ensureStreams(ctx, js); err != nil {
		return err
	}
	cons, err := js.Consumer(ctx, workStream, workers)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		cons, err = js.CreateConsumer(ctx, workStream, consumerConfig(defaultAckWait))
	}
	if err != nil {
		return fmt.Errorf("the work queue's consumer: %w", err)
	}
	if w.Name == "" {
		host, _ := os.Hostname()
		w.Name = fmt.Sprintf("%s/%d", host, os.Getpid())
	}
	var wg sync.WaitGroup
	errs := make([]error, max(w.Parallel, 1))
	for k := range errs {
		wg.Go(func() { errs[k] = w.loop(ctx, nc, js, cons, fmt.Sprintf("%s#%d", w.Name, k)) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// loop takes one range at a time until ctx ends or the connection closes.
func (w *Worker) loop(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, cons jetstream.Consumer, name string) error {
	for ctx.Err() == nil {
		wait, cancel := context.WithTimeout(ctx, 5*time.Second)
		msg, err := cons.Next(jetstream.FetchContext(wait))
		cancel()
		switch {
		case nc.IsClosed() || ctx.Err() != nil:
			return nil
		case errors.Is(err, nats.ErrTimeout) || errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, context.DeadlineExceeded):
			continue
		case err != nil:
			return fmt.Errorf("worker %s: %w", name, err)
		}
		if err := w.make(ctx, nc, js, msg, name); err != nil {
			return err
		}
	}
	return nil
}

// make makes one range and answers it: the result is stored in the
// result stream before the range is acknowledged, so a worker dying in
// between costs a redelivery (made again, stored once), never a result.
func (w *Worker) make(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, msg jetstream.Msg, name string) error {
	var wk work
	if err := decode(msg.Data(), &wk); err != nil {
		msg.Term() // a message no worker can read: drop it, not loop on it
		return nil
	}
	res := result{Campaign: wk.Spec.ID, Range: wk.Range, Worker: name}
	runs, err := w.runs(ctx, &wk, msg)
	switch {
	case errors.Is(err, errDied):
		nc.Close() // as a worker killed mid-range: no result, no ack
		return nil
	case ctx.Err() != nil:
		return nil // stopped: the range goes back to the queue
	}
	if err != nil {
		res.Err = err.Error()
	}
	res.Runs = runs
	data, err := encode(&res)
	if err == nil && int64(len(data)) > nc.MaxPayload() {
		err = fmt.Errorf("the result of range %d is %d bytes, past the server's limit of %d: use smaller ranges", wk.Range.ID, len(data), nc.MaxPayload())
	}
	if err != nil {
		data, err = encode(&result{Campaign: res.Campaign, Range: res.Range, Worker: name, Err: err.Error()})
		if err != nil {
			return err
		}
	}
	id := fmt.Sprintf("%s.%d", wk.Spec.ID, wk.Range.ID)
	if _, err := js.Publish(ctx, resultSubject+"."+wk.Spec.ID, data, jetstream.WithMsgID(id)); err != nil {
		// Not stored: the range comes back after the ack wait, to this
		// worker or another.
		if w.Log != nil && !nc.IsClosed() && ctx.Err() == nil {
			w.log("%s: sending range %d's result: %v (it will be made again)", name, wk.Range.ID, err)
		}
		return nil
	}
	if w.die != nil && w.die(wk.Range, wk.Range.Hi, true) {
		nc.Close()
		return nil
	}
	if w.Log != nil {
		delivery := uint64(1)
		if md, err := msg.Metadata(); err == nil {
			delivery = md.NumDelivered
		}
		w.log("%s: campaign %s range %d (runs %d-%d) made, delivery %d", name, wk.Spec.ID, wk.Range.ID, wk.Range.Lo, wk.Range.Hi-1, delivery)
	}
	if err := msg.DoubleAck(ctx); err != nil && w.Log != nil && !nc.IsClosed() && ctx.Err() == nil {
		// The result is stored: a range acknowledged too late is made
		// again and kept once.
		w.log("%s: acknowledging range %d: %v", name, wk.Range.ID, err)
	}
	return nil
}

// errDied is a worker stopped by the test's hook mid-range.
var errDied = errors.New("worker died")

// runs makes the range's runs, telling the server after each one that
// the range is still being worked on (so its ack deadline is per run,
// not per range).
func (w *Worker) runs(ctx context.Context, wk *work, msg jetstream.Msg) ([]*faults.RunResult, error) {
	pc, err := w.prepare(&wk.Spec)
	if err != nil {
		return nil, err
	}
	var out []*faults.RunResult
	for i := wk.Range.Lo; i < wk.Range.Hi && ctx.Err() == nil; i++ {
		r, err := pc.RunOne(i)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
		if w.die != nil && w.die(wk.Range, i, false) {
			return nil, errDied
		}
		msg.InProgress()
	}
	return out, nil
}

// maxPrepared bounds the campaigns a worker keeps prepared.
const maxPrepared = 16

// prepare returns the campaign of s, prepared once per worker.
func (w *Worker) prepare(s *spec) (*faults.Prepared, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if pc := w.prepared[s.ID]; pc != nil {
		return pc, nil
	}
	pc, err := s.prepare()
	if err != nil {
		return nil, err
	}
	if w.prepared == nil || len(w.prepared) == maxPrepared {
		w.prepared = map[string]*faults.Prepared{} // campaigns long gone, most of them
	}
	w.prepared[s.ID] = pc
	return pc, nil
}

// log tells Log, one call at a time.
func (w *Worker) log(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.Log(format, args...)
}
