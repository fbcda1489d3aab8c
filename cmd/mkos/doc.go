// Command mkos boots and measures the mkos microkernel simulator.
//
//	mkos run    boot a system, run the demo workload, print a summary
//	mkos shell  boot a system with its console on this terminal, run a shell
//	            (--top: under the live dashboard, split screen)
//	mkos top    watch a system run in a terminal dashboard (live/top)
//	mkos web    watch and drive a system from a browser (live/web)
//	mkos bench  measure a workload in each placement mode (--nodes: across nodes)
//	mkos faults  a fault-injection campaign (faults.go); --workers and --nats
//	            shard it over NATS workers, mkos faults worker is one
//	            (faults_worker.go)
//	mkos node   one node of a cluster, joined over NATS (cluster.go)
//	mkos nats   the embedded NATS server for nodes in other processes
//	mkos ostep  OSTEP's homework simulators, the scripts' flags and output (ostep.go)
//	mkos lab    graded labs: list, show, handout, check (lab.go)
//	mkos lecture  the code behind a LECTURE marker (lecture.go)
//	mkos pcapstat  the TCP flows of a packet capture (pcapstat.go, internal/pcapstat)
//	mkos version
//
// Inside a booted system, /bin/mkos runs mkos ostep, sched and vm, so
// that the playground's console (and any system's shell) has the labs'
// commands (labprog.go).
//
// Every flag means something (flagcheck.go: no negative numbers;
// runcheck.go: a flag the run would ignore is refused, saying why); fsck,
// cp and run treat a disk image alike (image.go).
//
// Exit status: 0, or the shell's (run -c, shell); 1 for an error; 3 for a
// kernel panic; 4 when the watchdog stopped a run; 5 at the time limit
// (--max-time: run, shell, bench, faults, cp, top, web, sched, vm); 6
// when the workload did not finish; 7 when a service it calls is not
// configured. exit.go holds the table `mkos help` and the README show.
//
// wasmcache.go keeps compiled WebAssembly programs in the user's cache
// directory between runs ($MKOS_WASM_CACHE).
//
// Imports: everything; nothing imports cmd.
package main
