// Package ostepcpu holds OSTEP's CPU-virtualization homework simulators
// that are not scheduling policies: cpu-intro/process-run.py, so far,
// behind `mkos ostep process-run FLAGS…`, with the script's flags (parsed
// by lab/optparse as Python's optparse would) and random draws
// (internal/pyrand).
//
// Verified: it prints what the real process-run.py prints, byte for byte,
// and exits with its status, for its README's examples, the homework
// questions' command lines and edge cases (testdata/process-run/*.txt,
// saved runs of the script; see lab/ostepvm/testdata/README.md), quirks
// included: SWITCH_ON_END with IO_RUN_LATER marks the finishing I/O's
// process RUNNING beside the current one, and an I/O's completion is
// counted in flight until its tick. TestTraceInvariants also checks the
// book's model on every -c -p run: a process is never running and blocked
// at once, an I/O takes -L ticks, the totals add up.
//
// The processes are the book's model, computed here in user space; they
// do not yet run as kernel tasks.
//
// Imports: lab/optparse, lab/osteptool and internal/pyrand.
package ostepcpu
