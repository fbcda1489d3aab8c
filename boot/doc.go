// Package boot turns a boot configuration into a running system: it reads
// and checks the configuration file, decides each server's placement from
// the mode (micro, mono, hybrid), creates the kernel, places servers in the
// kernel or hands them to the reincarnation server (servers/rs: boot
// spawns the boot image and rs, which the kernel keeps alive, and rs
// starts the rest in dependency order and restarts whatever dies),
// starts the workload (workload.go: the demo or the pathfinder), and
// summarises the run. It also keeps the state
// that outlives a server's instances (state.go; the data store's
// backend, memory, bolt or Redis, is chosen by ds: in datastore.go), formats a fresh disk
// with the root tree — /etc/passwd, /etc/group, /etc/motd, a sticky /tmp,
// homes, /dev, a file in /bin for every program —
// (Mkfs, FormatDisk: rootfs.go; the disk may be a software RAID of
// several, disk.raid: in raid.go), starts init's shell as the configured
// user (user:), and gives pm the hook that asks the file server about
// program files' execute permission (users.go). Each server runs with its
// line of the privilege table (privileges.go, DefaultPrivileges; a
// server's privileges: key overrides it), programs with the user's record,
// rs with every privilege. Every run is watched by the kernel's watchdog
// (kernel/watchdog, Config.Watchdog); the host files the console reads
// and writes are marked as waits on the host, not spins (hostio.go). A
// server placed in a host process (process.go) runs as the mkos binary
// started again (ChildMain) behind a proxy task (boot/procplace); ds's
// store and pm's process table stay here and reach a ds or pm process
// through its window (process_store.go, process_table.go), and pm's
// spawns cross as recipes. Package
// boot/boottest boots whole systems for the hostile tests and fuzz targets
// of the servers.
//
// Several machines (hosts.go, hosts_config.go, hosts_network.go,
// hosts_script.go, hosts_summary.go, hosts_faults.go): a configuration's
// hosts: section boots a Cluster — one System per machine, each with its
// own kernel seeded with HostSeed, a network card (nic:, drivers/nic/hw)
// and a net server (net:), the cards on one switch with the network:
// section's link, all stepped by one kernel.Group whose lookahead is the
// link latency; SplitOn gives each machine its part of a `run -c` script
// (`on K CMD`); PartitionAt, LossBurstAt, InjectAt… schedule network
// faults. A configuration without hosts: boots as before.
//
// pm's Loader (wasm.go) runs a file that holds a WebAssembly module as a
// program (user/wasi), and System.PutFile places such files on a disk
// before a run.
//
// A node of a cluster (node.go) is a system booted from NodeConfig: its
// own servers: (the cluster's nodes: section), the gateway, and the
// services it imports declared; boot/cluster runs the nodes together over
// NATS (docs/cluster.md).
//
// Imports: kernel, servers, drivers, user, ipc, sched, boot/procplace. Only cmd, bench,
// faults, tests and boot/cluster import boot.
package boot
