// Package boot turns a boot configuration into a running system: it reads
// and checks the configuration file, decides each server's placement from
// the mode (micro, mono, hybrid), creates the kernel, places servers in the
// kernel or spawns them as tasks, starts the minimal supervisor that
// restarts crashed servers, starts the workload, and summarises the run.
//
// The full reincarnation server replaces the supervisor in a later issue;
// the placement logic stays here.
//
// Imports: kernel, servers, drivers, user, ipc, sched. Only cmd and tests
// import boot.
package boot
