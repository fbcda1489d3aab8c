// Package schedlab is the scheduling lab behind `mkos sched`: it runs a set
// of jobs as real tasks under the kernel's scheduler and reports what the
// textbook asks for — the schedule, and each job's response, turnaround and
// wait times — in the words of OSTEP's homework simulators, so that a
// course can use them side by side.
//
// It owns:
//   - the three tools' inputs (SchedulerOptions for cpu-sched/scheduler.py,
//     MLFQOptions for cpu-sched-mlfq/mlfq.py, LotteryOptions for
//     cpu-sched-lottery/lottery.py) and their workloads, random ones drawn
//     from internal/pyrand exactly as the tools draw them (workload*.go);
//   - the kernel run (run.go): HZ and the "ideal" cost profile make one
//     OSTEP time unit a whole number of kernel ticks, each job is a task
//     that burns virtual CPU with Compute and does its I/O as a call to the
//     lab task, and the schedule is read back from the kernel's trace
//     (schedule.go);
//   - the lab task (labtask.go), a helper task that starts jobs at their
//     start time, plays the I/O device and counts deaths, and the idle
//     task, which keeps the clock ticking on an idle CPU; the policy never
//     sees either (labpolicy.go);
//   - the tools' output, byte for byte (report_*.go), and the lab's own:
//     JSON (json.go) and an SVG Gantt chart (gantt.go).
//
// The real policy decides who runs. labpolicy.go wraps it (through
// sched.Params.Wrap) only to keep the lab's helper tasks out of its view
// and to give it, at an instant where several things happen, the order in
// which OSTEP's simulators handle them; the file's header says why each
// piece is needed.
//
// Imports: kernel, sched, ipc and internal/pyrand.
package schedlab
