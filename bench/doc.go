// Package bench measures the system: the same workload on the same servers
// in each placement mode, next to reference measurements of the host taken
// in the same run (a coroutine switch, a channel handoff, a direct interface
// call). `mkos bench` and `go test -bench` both run these functions.
//
// Host time is measured with testing.Benchmark; virtual time comes from the
// kernel's cost profile. Neither ever feeds back into a simulated run.
//
// Imports: boot, kernel, ipc and the protocol packages under ipc.
package bench
