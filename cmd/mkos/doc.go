// Command mkos boots and measures the mkos microkernel simulator.
//
//	mkos run    boot a system, run the demo workload, print a summary
//	mkos shell  boot a system with its console on this terminal, run a shell
//	mkos bench  measure a workload in each placement mode
//	mkos version
//
// Imports: everything; nothing imports cmd.
package main
