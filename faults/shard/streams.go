//go:build !js

package shard

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// maxAge bounds what a campaign that never ended (its mkos faults killed)
// leaves on a cluster's server: its ranges and results go after a day.
const maxAge = 24 * time.Hour

// ensureStreams creates the work queue and the result stream, or leaves
// them as they are. Both are in memory: a campaign lives as long as the
// process that started it, which holds what it needs of the results.
func ensureStreams(ctx context.Context, js jetstream.JetStream) error {
	for _, sc := range []jetstream.StreamConfig{
		{Name: workStream, Subjects: []string{workSubject + ".>"}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.MemoryStorage, MaxAge: maxAge},
		{Name: resultStream, Subjects: []string{resultSubject + ".>"}, Storage: jetstream.MemoryStorage, MaxAge: maxAge, Duplicates: time.Hour},
	} {
		if _, err := js.Stream(ctx, sc.Name); err == nil {
			continue
		}
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return fmt.Errorf("JetStream stream %s: %w", sc.Name, err)
		}
	}
	return nil
}

// consumerConfig is the workers' shared consumer: each range goes to one
// worker at a time and comes back to the queue when that worker goes
// quiet for ackWait, as often as it takes.
func consumerConfig(ackWait time.Duration) jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       workers,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       ackWait,
		MaxDeliver:    -1,
		MaxAckPending: -1,
		FilterSubject: workSubject + ".>",
	}
}
