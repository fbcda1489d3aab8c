// Package ostepcpu holds OSTEP's CPU-virtualization homework simulators
// that are not scheduling policies: cpu-intro/process-run.py, so far,
// behind `mkos ostep process-run FLAGS…`, with the script's flags (parsed
// by lab/optparse as Python's optparse would) and random draws
// (internal/pyrand).
//
// Provenance, stated honestly: process-run.py was not at hand when this
// was written. The model (processrun.go) is a reconstruction of the
// ostep-homework script as the author knows it — its state machine, its
// quirks (SWITCH_ON_END with IO_RUN_LATER marks the finishing I/O's
// process RUNNING beside the current one; an I/O's completion is counted
// in flight until its tick) and its column widths — not verified byte for
// byte against a real run. The tests check what can be stood behind:
// invariants of the book's model (a process is never running and blocked
// at once, an I/O takes -L ticks, the totals add up) and mkos's own saved
// outputs against regressions (testdata/, not OSTEP references).
//
// The processes are the book's model, computed here in user space; they
// do not yet run as kernel tasks.
//
// Imports: lab/optparse, lab/osteptool and internal/pyrand.
package ostepcpu
