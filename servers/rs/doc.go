// Package rs is the reincarnation server: the supervisor of every server
// that runs in user space. LECTURE: reincarnation
//
// # Vocabulary
//
// A service is a name on the bus ("echo", "fs"); an instance is a task
// that serves it; an implementation is the code an instance runs ("echo"
// or its fixed variant "echo2", both speaking the echo protocol). The
// boot image is the instances boot spawned before rs ran. A death notice
// is what the kernel queues for the supervisor when any task dies.
// Back-off is the wait before a restart; a streak is the number of
// deaths in a row of a service whose instance did not stay up for the
// minimum uptime.
//
// # Design
//
// rs is an ordinary task (MINIX's RS, Hubris's supervisor): the kernel
// only notifies it. It runs like any server — ipc.Serve, a handler for
// rsproto requests, Notified for its notifications — with two
// notification bits: ipc.NotifyDeath and its one timer, which it sets to
// the earliest of the pending restarts and the next ping round.
//
//  1. Start. rs calls Supervise, registers "rs", reads the death notices
//     queued so far, and tells a fresh start from a restart of itself (a
//     notice of a dead rs, or instances on the bus it did not get from
//     the boot image). Fresh: it adopts the boot image and starts the
//     other services in dependency order, each after the instances of
//     the services it depends on have answered a ping. Restart: it
//     rebuilds its view — the instances from the bus, the services'
//     implementations and stop marks and the restart log from the data
//     store when there is one, and the notices queued while it was down
//     — and restarts what is missing.
//  2. Death. A notice names a task; if it is an instance rs started (and
//     did not kill on purpose), rs schedules its restart after the
//     back-off: BackoffNs doubled for each death in the streak, at most
//     BackoffMaxNs; an instance that ran MinUptimeNs or longer ends the
//     streak.
//  3. Hangs. Every PingPeriodNs rs pings each instance (ipc.Ping, which
//     ipc.Serve answers without the handler), in dependency order, with
//     a timeout of PingTimeoutNs. One that does not answer is hung: rs
//     kills it, which fails its callers' requests (ECONNRESET) so they
//     can retry, and restarts it after the back-off.
//  4. Requests. List, Restart, Stop, Start, Replace, Update and Log
//     (rsproto). Restart and Replace kill and respawn at once, without
//     back-off. Update replaces each instance live, its state handed
//     over while the bus holds the service's requests, and rolls back to
//     the old instance on any failure (update.go, docs/liveupdate.md).
//  5. Log. Every restart is logged in memory (bounded), reported to
//     Options.OnRestart (boot's run summary), and written to the data
//     store under rs/log/ when a ds service exists — best effort, with
//     the ping timeout, so a dead store never stops rs.
//
// rs pings only while the system has work: while some task other than a
// server is alive and not stuck. In a simulator a run ends when no task
// can run; a supervisor that pinged forever would keep every run going
// to its time limit. So rs stops pinging when only servers are left
// (it is told of every death, so it sees the last program exit), or when
// a whole ping period changed nothing while every program was blocked;
// any death notice or request makes it look again. A hang can therefore
// go unnoticed only while nothing but the hung server's callers' peers
// could notice it either.
//
// rs reads the kernel's tables (the bus's services and counters, the
// task list) through Probe, functions boot hands it: a real rs reads
// them through kernel calls (MINIX's sys_getinfo), which mkos's Sys does
// not have. They change nothing.
//
// Rejected: restarting from boot code (the kernel would hold policy);
// blocking in Sleep during the back-off, as the first supervisor did
// (rs could not answer svc nor see other deaths meanwhile); pinging
// through the bus (the pings would count as the service's requests, and
// reach any instance rather than the one asked about).
//
// Known limits: an instance rs spawned just before it died and that has
// not registered yet is not on the bus, so the new rs starts another;
// without a data store a stopped service comes back when rs restarts.
//
// Imports: ipc, ipc/linux, ipc/rsproto, ipc/dsproto.
package rs
