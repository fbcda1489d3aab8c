// Package sched holds the scheduling policies: which runnable task a virtual
// CPU runs next, and when a running task is preempted.
//
// The kernel owns the mechanism (run states, the clock, context switches); a
// Policy owns one CPU's run queue and decides. Each policy is one file and
// one line in Policies. The kernel embeds an Entity in every task; policies
// link entities into their queues through it, so queue operations allocate
// nothing.
//
// The policies, easiest first: fifo, sjf (shortest declared job first),
// stcf (shortest time to completion), rr, prio (strict priorities), mlfq
// (OSTEP's multi-level feedback queue), lottery and stride (proportional
// share), cfs (a model of Linux's fair scheduler). All are deterministic:
// ties go to the lower Entity.ID, and lottery draws from its own seeded
// generator (or from Params.Draw). ostep_model.go is not a policy but a
// pure model of OSTEP's homework simulators, for cross-checking against
// testdata/ostep; mlfq_ostep.go gives mlfq the boost order of mlfq.py
// (Params.BoostLowestFirst). Params.Wrap lets a harness wrap a policy: the
// scheduling lab (lab/schedlab) does, to run OSTEP's workloads through the
// kernel.
//
// A policy of one's own (a student's, say) is one more file and table line;
// the conformance tests (conformance_test.go) run over every entry, and a
// policy that may starve a task by design says so by implementing Starver
// (docs/extending.md). `mkos sched -p NAME` runs any entry on OSTEP's jobs.
//
// Imports: the standard library only. sched imports nothing of ours.
package sched
