// Package faults runs fault-injection campaigns: a workload runs again
// and again in a booted system while a controller task injects faults
// (ipc.InjectCrash, InjectHang, InjectGarbage, InjectSlow) into its
// servers at seeded points — or, with the servers in host processes
// (Campaign.Isolation process), real host faults into their processes
// (Campaign.HostKinds: SIGKILL, exit, stack overflow, out of memory, ...)
// — and after every run a checker tests the
// invariants a user of the system relies on. `mkos faults` and `make
// faults` run campaigns; `go test ./faults` runs a small one.
//
// The layers, one file each:
//
//	campaign.go  the options, the runs (in parallel, each one seeded), the
//	             replay command of a run
//	run.go       one run: boot, format the disk, the workload and
//	             injector tasks, the kernel run, the checks
//	workload.go  the workloads, as jobs that check their own output and
//	             record every fsync'ed byte; workload_tcp.go the tcp
//	             workload (target net): transfers over the loopback,
//	             CRC-32 checked at both ends, every socket wait bounded
//	link.go      faults of the wire between two machines (loss bursts,
//	             partitions, reordering, a card's link down) during TCP
//	             transfers: RunLink, mkos faults --link;
//	             link_receiver.go its receiver on host2
//	inject.go    the injector task and the trace recorder that sees each
//	             fault strike and each restart
//	check.go     the invariants: no kernel panic, fsck clean, every
//	             fsync'ed byte intact, every errno documented for its
//	             protocol, no program dead in a stub, every job correct
//	             or failed with an errno, no task blocked forever, every
//	             service back up
//	report.go    the campaign's tallies and its printout
//	prepared.go  a campaign's runs and report one by one, for a caller
//	             that spreads the runs itself (faults/shard, over NATS)
//
// # What is expected
//
// A fault armed on a service hits the next request one of its instances
// receives. In a server placed in user space (micro; ds and the drivers in
// hybrid) a crash kills the instance: the caller gets ECONNRESET, the
// supervisor restarts the server, the next request finds the new
// instance. In a server placed in the kernel (mono; fs, mm and pm in
// hybrid) the same crash is a kernel panic and a hang stops the caller in
// the kernel: the system halts, which is the expected result there and not
// a violation; the disk must still be consistent and hold every fsync'ed
// byte. A hang in user space is ended only by a supervisor that pings its
// servers; without one the caller waits forever, and the campaign says so.
// A garbage reply reaches the caller's client stub, which checks it (see
// ipc.ReplyErr): an errno its protocol does not document, or a count past
// the buffer, becomes EIO. So with garbage too every errno a program sees
// must be documented for its protocol (the protocol package's Errnos, or
// ipc.CallErrnos), no program may die in a stub, and the disk must stay
// clean with every fsync'ed byte. What no check can catch — a reply
// scrambled into another believable one, with no checksum to tell — is
// counted and reported, not a violation: a job whose output is then
// wrong, and a program killed by SIGSEGV for using a garbage address it
// was given (or whose page fault the pager answered with garbage).
//
// Determinism: a run is a pure function of its options and its seed (the
// campaign's seed plus the run's index), so every violation is printed
// with the command that replays exactly that run.
//
// Imports: boot (and boot/procplace, for the host faults), kernel, servers
// (fs's fsck and layout, to check the disk offline), ipc and its protocol
// packages (their Errnos are the documented sets), user/ulib (the tcp
// workload's socket calls).
package faults
