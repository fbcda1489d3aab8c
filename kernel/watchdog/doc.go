// Package watchdog is the host-facing half of the kernel's stall
// detection: it runs a kernel and, on a goroutine of its own and by host
// time, watches the kernel's pulse (kernel/pulse.go). A task whose body
// runs in Go code for longer than the limit without a system call — an
// infinite loop: a coroutine cannot be preempted — stops the run with a
// *kernel.Stall naming the task, its last system call and the virtual
// time, instead of a silent hang.
//
// A spinning goroutine cannot be stopped from outside, so the run is
// abandoned: Run returns the Stall while the kernel's own goroutine goes
// on spinning. A command exits then; a test lets its spinning body end
// (it checks a flag) and calls Wait. The kernel halts at its next trap.
//
// This package, not the kernel, reads host time and starts goroutines;
// the kernel only publishes a count at every trap, so the same seed still
// gives the same run.
//
// Files:
//
//	watchdog.go  the Watchdog of one kernel: Run
//	group.go     the GroupWatchdog of a kernel.Group's kernels, whose
//	             pulses show a kernel waiting for its turn as a wait
//	outcome.go   how a watched run ended, for both: Stall, Abandoned, Wait
//
// Imports: kernel (and the standard library).
package watchdog
