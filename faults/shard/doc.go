// Package shard runs a fault campaign (package faults) over many workers
// through NATS JetStream, for campaigns of a million faults and more:
// `mkos faults --count 1000000 --workers N` (N workers in this process,
// over a NATS server embedded in it), `--nats URL` (a cluster's server),
// `mkos faults worker --nats URL` (a worker on each machine).
//
// Vocabulary: a campaign is a sequence of runs, run i seeded with the
// campaign's seed plus i, so a run is a pure function of the campaign and
// i wherever it is made. A range is a run of consecutive runs, the unit of
// work. The work queue is a JetStream stream with work-queue retention:
// one message per range, carrying the campaign's options and
// configuration text, taken by one worker at a time through a shared
// durable pull consumer. The result stream keeps each range's runs,
// stored under the message id campaign.range.
//
// The report is the one faults.Run gives, byte for byte: the runs come
// back, are put in order and added up by faults.Prepared.Report. A
// violation prints the command that replays its run on one machine.
//
// Idempotent on retry: a range whose worker dies, or goes silent for the
// ack wait, goes back to the queue and is made again; its result is
// stored once (message-id deduplication) and kept once (by range id),
// the later copy replacing the earlier, never adding to it.
//
// The files: wire.go (subjects, the messages and their encoding, the
// ranges), options.go (Options, the checks), coordinator.go (Run: the
// protocol as numbered steps), collector.go (the results by range),
// worker.go (Worker), streams.go (the streams and the consumer),
// embedded.go (the in-process server). NATS is not available under
// js/wasm: there stub_js.go makes Run and Worker.Join return ErrNoNATS.
//
// Imports: faults (the campaign, its runs and report), boot (to read a
// campaign's configuration text), nats.go and nats-server; never the
// kernel or the servers.
package shard
