// Package boot turns a boot configuration into a running system: it reads
// and checks the configuration file, decides each server's placement from
// the mode (micro, mono, hybrid), creates the kernel, places servers in the
// kernel or hands them to the reincarnation server (servers/rs: boot
// spawns the boot image and rs, which the kernel keeps alive, and rs
// starts the rest in dependency order and restarts whatever dies),
// starts the workload, and summarises the run. It also keeps the state
// that outlives a server's instances (state.go) and formats a fresh disk
// (FormatDisk). Package boot/boottest boots whole systems for the
// hostile tests and fuzz targets of the servers.
//
// Imports: kernel, servers, drivers, user, ipc, sched. Only cmd and tests
// import boot.
package boot
