package shard

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mkos/mkos/faults"
)

// defaultAckWait is how long a range may go without its worker saying it
// is still on it (it says so after every run) before JetStream hands it
// to another worker.
const defaultAckWait = 30 * time.Second

// Options configures a sharded campaign.
type Options struct {
	// Campaign is the campaign, as for faults.Run; its Parallel is not
	// used (Workers is), its Progress is told of the runs as their
	// ranges come back.
	Campaign faults.Campaign
	// Workers is the number of workers started in this process, each on
	// its own connection, making one range at a time. With URL empty it
	// must be at least 1; with URL set it may be 0 (the workers are
	// `mkos faults worker` processes elsewhere).
	Workers int
	// URL is the NATS server (or a comma-separated list of a cluster's);
	// empty starts one in this process, with JetStream in memory and no
	// port open.
	URL string
	// RangeRuns is the runs in one range (default: about eight ranges
	// per worker, at most 64 runs each).
	RangeRuns int
	// AckWait is how long a worker may be silent on a range before the
	// range goes to another (default 30 s; a worker speaks after every
	// run).
	AckWait time.Duration
	// Log, when set, is told of each range's result and of each
	// redelivered one.
	Log func(format string, args ...any)

	// die is the test's hook into the local workers: worker k stops
	// (closes its connection) when it returns true.
	die func(k int, r Range, i int, sent bool) bool
}

// ErrNoNATS is the error of a sharded campaign where NATS cannot run.
var ErrNoNATS = errors.New("sharded campaigns need NATS, which mkos cannot use under js/wasm: run the campaign without --workers and --nats")

// check refuses options that cannot make a campaign.
func (o *Options) check() error {
	if o.Workers < 0 || o.URL == "" && o.Workers < 1 {
		return fmt.Errorf("--workers %d: a sharded campaign needs at least 1 worker (or --nats with workers elsewhere)", o.Workers)
	}
	if o.URL != "" {
		if err := CheckURL(o.URL); err != nil {
			return err
		}
	}
	if o.RangeRuns < 0 {
		return fmt.Errorf("range runs %d: must be at least 1", o.RangeRuns)
	}
	if o.AckWait == 0 {
		o.AckWait = defaultAckWait
	}
	return nil
}

// CheckURL checks a NATS server address, or a comma-separated list of a
// cluster's: each must be nats://, tls://, ws:// or wss:// with a host.
func CheckURL(list string) error {
	for _, u := range strings.Split(list, ",") {
		p, err := url.Parse(strings.TrimSpace(u))
		switch {
		case err != nil:
			return fmt.Errorf("--nats %q: %v", u, err)
		case p.Scheme != "nats" && p.Scheme != "tls" && p.Scheme != "ws" && p.Scheme != "wss":
			return fmt.Errorf("--nats %q: not a NATS server address (nats://HOST:PORT, or tls://, ws://, wss://)", u)
		case p.Hostname() == "":
			return fmt.Errorf("--nats %q: no host (nats://HOST:PORT)", u)
		}
	}
	return nil
}
