// Package ostepcpu holds OSTEP's CPU-virtualization homework simulators
// that are not single-CPU scheduling policies, behind `mkos ostep NAME
// FLAGS…`, with the scripts' flags (parsed by lab/optparse as Python's
// optparse would) and random draws (internal/pyrand):
//   - cpu-intro/process-run.py (processrun.go): its processes run as
//     kernel tasks on a one-CPU kernel under a policy that switches as -S
//     and -I say (processrun_kernel.go, processrun_policy.go), and the
//     trace is their states read from the kernel at every tick; a process
//     with no instructions takes the book's model (machine.go);
//   - cpu-api/fork.py (fork.go): a process tree grown by forks and cut by
//     exits, printed in the script's four styles;
//   - cpu-sched-multi/multi.py (multi.go, multi_run.go): jobs with working
//     sets on CPUs whose caches warm up, one central queue or per-CPU
//     queues with work stealing, and CPU affinity.
//
// Verified: each prints what the real script prints, byte for byte, and
// exits with its status, for its README's examples, the homework
// questions' command lines and edge cases (testdata/NAME/*.txt, saved
// runs of the scripts; see lab/ostepvm/testdata/README.md; TestGolden),
// quirks included: an I/O's completion is counted in flight until its
// tick; fork.py's "X-Y" is an exit of X;
// multi.py steals a job with an affinity list only when the thief's
// number equals the job's run time or working-set size (its test is
// `cpu in job`, on the job's record).
// Other tests check the models independently: TestTraceInvariants (a
// process is never running and blocked at once, an I/O takes -L ticks,
// the totals add up), TestForkFinalTree (the last tree holds exactly the
// processes forked and not exited), TestMultiStats (the finish time and
// each CPU's utilization are the trace's counts). fork.py without -s is unseeded and
// differs on every run; mkos then draws from seed 0, to stay repeatable.
//
// TestKernelMatchesModel checks the kernel's process-run traces against
// the book's model for every -S and -I; TestProcessRunOnKernel checks
// that the trace printed is the kernel's (its spawns, switches, deaths).
// fork's and multi's processes, CPUs and caches are the book's models,
// computed here in user space; they do not run as kernel tasks. Where a script would never
// finish (multi.py with no CPU, or a warm rate that does no work), mkos
// says so instead of looping.
//
// Imports: kernel, ipc, sched, lab/optparse, lab/osteptool and
// internal/pyrand.
package ostepcpu
