// Package live is the live model of a running system, shared by the views
// that watch it (`mkos top` in the terminal, `mkos web` in the browser).
//
// A Model is the system's tracer (it forwards every event to the tracer it
// wraps) and its observer: the engine calls it at every safe point between
// two events (kernel.Observe), on the engine's goroutine, where it may read
// kernel state. Views on other goroutines never touch the kernel: they ask
// for a Snapshot, which the engine builds at its next safe point, and they
// send Commands, which the engine takes at its next safe point.
//
// What a snapshot holds: virtual time; each CPU's current task and run
// queue; the tasks (endpoint, name, state, what each waits on, priority, CPU
// time, placement); the services (instances, placement, requests/s over a
// sliding window of virtual time, latency p50/p99 and errors in that
// window, restarts, state); the last IPC events by name (`sh → fs.open →
// reply 0`); and a log of faults, deaths, restarts and controls.
//
// Controls. Pause, resume, single-step and speed act on the engine only: a
// paused engine waits at a safe point, a slowed one sleeps there, and
// neither changes a thing the system does. Crash, hang, kill and restart
// change the system, so they go through its own calls: the model spawns a
// control task (privilege record "live": the kill kernel call, calls to
// rs; root credentials) at the safe point, and the task asks rs to arm the
// fault (rsproto.Inject) or to restart the service, or kills the task
// (Sys.Kill). Each such command is written to the trace as an EvControl
// event with its safe point, so ScriptOf(trace) replays the clicks: the
// same configuration and seed with the same script give the same trace.
//
// Cost: nothing when no model is attached (the engine checks one nil
// function per step); attached, a counter per safe point and an atomic
// load, plus a look at the bus every SampleNs of virtual time. Rates and
// latencies are the bus's metrics (kernel/busmetrics.go), the numbers
// `svc stats` and the benchmark report show.
//
// Imports: kernel, ipc, ipc/*proto.
package live
