// Package bench measures the system: the same workloads on the same
// servers in each placement — micro, mono, hybrid, hybrid with direct
// links, or any placement a configuration file gives — next to reference
// measurements of the host taken in the same run (a coroutine switch, a
// channel handoff, a direct interface call). `mkos bench` and `go test
// -bench` both run these functions.
//
// The layers, one file each:
//
//	setup.go     where a workload runs: the boot configuration of a
//	             placement (servers, disk, links, cost profile)
//	harness.go   one measured run: boot, format the disk, the workload's
//	             setup in a user task, n operations between two readings
//	             of the kernel's and the disk's counters
//	workload.go  the Workload type and the Suite table; null
//	fileio.go, seqio.go, spawn.go, pagefault.go, mixed.go, pipe.go
//	             the workloads, one file each; every operation checks
//	             its own results
//	tcp.go       tcp-rr and tcp-bulk (the group "tcp"): a TCP connection
//	             through the net server over the loopback; tcp_hosts.go
//	             TCP across two machines (boot's cluster: cards, switch,
//	             NIC drivers), host time per frame; tcp_report.go their
//	             throughput and latency lines and the published numbers
//	             of user-space stacks
//	host.go      host time: runs grown to the bench time, repeats,
//	             median and spread
//	report.go    Options, RunWith, Result and Report (the JSON shape)
//	goals.go     the project's goals judged on a report's numbers
//	table.go, markdown.go, plot.go, machine.go
//	             the outputs: tables, CSV, report.md, PNG and SVG charts
//	             (gonum.org/v1/plot), the host's description
//
// Two views of cost: host time (what this Go implementation spends) is
// measured with the host's clock around the operations; virtual time comes
// from the kernel's cost profile, once per profile (a simulated run is
// deterministic). Neither ever feeds back into a simulated run.
//
// Imports: boot (which also formats the benchmark disk), kernel, servers,
// ipc and the protocol packages under ipc, user/ulib (the TCP workloads'
// socket calls).
package bench
