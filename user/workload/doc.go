// Package workload holds the programs that drive a booted system for the
// demo and the benchmarks: echo clients with computation between calls, and
// a null-call loop, and the Mars Pathfinder story (pathfinder.go: priority
// inversion over IPC, with its bus server). Each is a task body,
// func(ipc.Sys), that reports what it saw into a tally owned by the caller.
//
// Imports: ipc and protocol packages under ipc.
package workload
