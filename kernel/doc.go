// Package kernel is the mkos microkernel: tasks, message-passing IPC, the
// service bus, the clock, scheduling, and the sim engine that drives them.
// This is the page to read first.
//
// # Vocabulary
//
// A task is one thread of control with its own body (a Go function) and its
// own state in the kernel (Task). Tasks live in the task table; a task's
// place there is its slot. When a task dies its slot is reused, but the
// slot's generation is bumped first, and a task is named by an Endpoint made
// of both: a message to the endpoint of a dead task fails with ESRCH (a dead
// endpoint) and can never reach the task that holds the slot now.
//
// A message (ipc.Message) is 64 bytes: a 16-byte header and a 48-byte
// payload, copied by the kernel from sender to receiver. The kernel stamps
// the sender's endpoint into the header; a task cannot forge it. Larger data
// moves by a kernel-checked copy: a caller offers a send window and a receive
// window with its Call (ipc.Extra), and only the task serving that call can
// CopyIn from one and CopyOut to the other, within bounds and at most
// ipc.MaxBulk bytes at a time. No Go pointer crosses between tasks.
//
// A trap is a task entering the kernel: every method of the task's ipc.Sys
// handle is one trap (proc.go). The kernel code runs on the trapping task's
// goroutine, as a real kernel runs on the trapping thread's kernel stack.
//
// A tick is a clock interrupt, HZ times a second of virtual time. At a tick
// the policy of each busy CPU charges the running task's quantum and may
// preempt it. Ticks stop while every CPU is idle.
//
// A service is a name on the bus. Servers register as instances of a
// service; clients call the service, never a task, and the bus routes each
// request to a live instance. A restarted server registers again and its
// clients never learn its new endpoint.
//
// A placement says where a server runs: in its own task (user space; a
// request is IPC with two context switches) or in the kernel (its handler
// runs inside the caller's trap; no switch). The mode places all servers:
// micro (all in user space), mono (all in the kernel), hybrid (each as
// configured). The server code is the same in every placement.
//
// The engine drives the kernel. The kernel never reads the host clock or
// sleeps, and starts no goroutine but to bury a body that called
// runtime.Goexit (engine_goexit.go): the sim engine (engine.go) runs task
// bodies as coroutines, one at a time, in virtual time, and every kernel
// action charges virtual time from a cost Profile. The same Config and
// seed give the same run, event for event and byte for byte in the trace.
// A body that loops without a system call cannot be preempted; a
// watchdog on the host's side (package kernel/watchdog) sees it through
// the kernel's pulse (pulse.go) and stops the run.
// A live view (package live) watches through the observer (observe.go),
// which the engine calls at every safe point between two events.
//
// # The design
//
// The kernel is a state machine over the task table (task.go), the CPUs with
// their run queues (cpu.go), an event queue of timers ordered by (time,
// sequence) (clock.go) and the bus (bus.go). Each system call is a function
// that changes that state and leaves each CPU's current task set; next()
// then fires due events, burns Compute time, and names the task whose body
// must run. The engine switches to it.
//
// The IPC fast path is a direct handoff, as in L4: when a Call finds the
// server blocked in Receive, the kernel copies the message and gives the
// caller's CPU straight to the server, without a trip through the run
// queue, and the server's ReplyWait gives it straight back. In the engine
// that is one coroutine resume and one yield, with no scheduler goroutine
// in between, so a null call costs about two raw coroutine switches.
//
// Devices and memory follow the same split. A device model (a disk, a
// UART) is attached to the kernel; its driver is a server that starts
// operations with DevStart and hears of completions as interrupts — a
// notification routed by service, so a restarted driver gets it. The kernel
// keeps page tables and TLBs and turns a page fault into a call to the
// memory manager for the faulting task; mm decides which frame to use and
// which page to evict (Sys.VM).
//
// Every task carries a privilege record (ipc.Priv), fixed at spawn, as
// MINIX 3's system.conf gives each boot process one, and credentials
// (ipc.Cred) that pm sets: the kernel checks the record on every
// privileged call (Register of a server's name, Spawn, Kill, Supervise,
// Inject, VM, Device, Notify, SetCred, Update) and on every call to a service
// that admits only some callers (priv.go). A refusal is EPERM and an
// EvDeny trace event.
//
// A live update (update.go) replaces a service's instance without a
// client noticing: the bus holds the service's requests while the
// reincarnation server moves the state from the old instance to a new
// one, then routes them to the new one, with the calls the old one had
// parked.
//
// A task's death is told to those who must act on it: the supervisor
// (task_exit.go), which restarts servers, and the services that watch
// exits (exits.go), which free what the dead task held in them — open
// files, pipe ends, address spaces — however it died. A task killed while
// a server placed in the kernel serves its request dies when that handler
// returns, never inside it: the server's state is not left held.
//
// Policy lives outside the kernel: scheduling decisions in package sched,
// restarts in the reincarnation server (servers/rs), naming
// in the bus's routing rule, placements in the boot configuration.
//
// # Designs considered and rejected
//
//   - A goroutine per task with channels: every handoff goes through the Go
//     scheduler (~300 ns a round trip, 4× a coroutine switch), which also
//     decides who runs, so runs are not reproducible.
//   - One engine goroutine that every trap returns to: deterministic, but
//     four switches per round trip instead of two.
//   - Asynchronous message queues as the primary IPC (Mach ports): buffers
//     to allocate and bound, and a second copy. Rendezvous IPC needs neither;
//     Notify covers the asynchronous cases (interrupts, timers, deaths) with
//     a coalescing bitmap that needs no buffer at all.
//   - Addressing servers by task (MINIX 3 endpoints): a restarted server has
//     a new endpoint everyone must learn. The bus adds one level of naming.
//
// # The IPC protocol, step by step
//
// LECTURE: ipc-rendezvous. A Call from client C to service S:
//
//  1. C traps (proc.Call). The kernel charges the trap and the IPC work.
//  2. The bus resolves S: a handler placed in the kernel is called right
//     there, inside C's trap, and its reply copied back (kcall.go); done.
//  3. Otherwise the bus picks a live instance I of S (the first idle one
//     from a round-robin position). With none, C waits — bounded by
//     Config.ServiceWaitNs — for one to register, then fails with EAGAIN.
//  4. If I is blocked in Receive, the kernel copies C's message into I's
//     buffer, stamps C's endpoint and S's id, marks C awaiting I's reply and
//     hands C's CPU to I (ipc_send.go). Otherwise, unless waiting would close
//     a cycle of blocked tasks (EDEADLK), C joins I's sender queue.
//  5. I runs its handler and traps ReplyWait (ipc_reply.go): the kernel
//     copies the reply into C's buffer, and I blocks in Receive, handing the
//     CPU back to C — or, if I has more requests queued, takes the next one
//     and C waits in the run queue.
//  6. If I dies before replying, C's Call fails with ECONNRESET; requests
//     still queued at I, never seen, are routed again (task_exit.go). With a
//     timeout, C's Call fails with ETIMEDOUT and a late reply is dropped.
//
// # Paging, step by step
//
// LECTURE: page-fault. The kernel keeps the mechanism (frames, page
// tables, TLBs); the pager (the service Config.Pager, "mm") decides what
// goes where. A task T touches a page it may not:
//
//  1. The MMU walk (TLB, then T's two-level table) finds no entry, or one
//     that does not allow the access: a page fault (mmu_access.go).
//  2. The kernel records the fault as in progress in T's address space
//     (for a copy through a grant, in the grant owner's space) and calls
//     the pager on T's behalf with a PageFault message: Word(0) the
//     address, Word(1) the fault flags, Word(2) the space's owner. T
//     waits; if the pager dies, the fault is made again (up to 3 times).
//  3. The pager gets a frame (VMAlloc, evicting first if it must), fills
//     it (VMWriteFrame: swap, a file) and maps it (VMMap). The kernel
//     checks each map against the frame owner rule (mmu_owner.go): a
//     fresh frame goes only to the page whose fault is in progress, or
//     to the pager itself, and then belongs to that task (shared under a
//     name, if the pager says so: then it may go into other spaces under
//     that name); a task's private frame goes into no other space.
//     That is EPERM, whatever the pager's privileges.
//  4. The pager replies. An error is a segmentation fault: T dies with
//     SIGSEGV (a grant copy fails with EFAULT). An ok with the page now
//     mapped lets T retry the access; an ok without a mapping that allows
//     the access is counted, and the third in a row at that page is a
//     SIGSEGV too, traced as an unresolved EvPageFault.
//
// # Files
//
//	task.go         the task, its states and what holds it in each
//	queue.go        the intrusive queues tasks wait in
//	kernel.go       Config, the Kernel, the task table
//	proc.go         the system calls: one trap each
//	ipc_send.go     Send and Call; deadlock detection
//	ipc_receive.go  Receive and Notify
//	ipc_reply.go    Reply and ReplyWait
//	copy.go         bulk copies through the caller's windows
//	bus.go          services, routing, per-service statistics, direct links
//	busmetrics.go   the bus's metrics: per service and instance, over a
//	                sliding window of virtual time (svc stats, live, bench)
//	pubsub.go       publish/subscribe: topics, bounded drop-oldest queues
//	stream.go       request/stream: credits, end and error frames, cancel
//	bus_sys.go      Sys.Bus, the one system call of both
//	update.go       live update: holding a service's requests, switching it
//	                to a new instance (docs/liveupdate.md)
//	kcall.go        calls into servers placed in the kernel; kernel panics
//	task_spawn.go   creating tasks
//	priv.go         privilege records and credentials: who may make which call
//	task_exit.go    task death: releasing waiters, the supervisor's notice
//	exits.go        death notices for the services that watch exits (fs, pipe, mm)
//	cpu.go          CPUs, run queues, context switches, the load balancer, next()
//	sched_pi.go     priority inheritance over IPC
//	clock.go        the event queue, ticks, timers, timeouts
//	device.go       simulated hardware: starting operations, interrupts
//	mmu.go          physical memory, page tables, TLBs
//	mmu_access.go   Load and Store through the MMU; page faults to mm
//	mmu_vm.go       the pager's operations (Sys.VM)
//	mmu_owner.go    frame owners: which space the pager may map a frame into
//	mmu_sys.go      the memory system calls of tasks and in-kernel servers
//	mmu_translate.go  a page-table walk, step by step, for lectures
//	grant.go        grants: one task's memory, copied by the kernel for another;
//	                a bounded table per task, slots reused under new ids
//	engine.go       the sim engine: coroutines and the direct handoff
//	schedule.go     inputs from outside: Schedule, Interrupt, NotifyService
//	group.go        several kernels on one virtual timeline (a network, a
//	                cluster): turns in time order with a lookahead
//	engine_goexit.go  bodies that end by runtime.Goexit, or swallow the unwind
//	pulse.go        the sign of life a host-side watchdog reads; Stall
//	inject.go       fault injection into services (crash, hang, garbage, slow)
//	profile.go      cost profiles (l4, mach, modern, ideal)
//	trace.go        trace events and the JSON-lines writer
//	stats.go        counters
//
// Package kernel/kerneltest runs hostile tests and fuzz targets against
// the kernel: a handler placed in it, a client stub against a fake
// server that answers garbage.
//
// Imports: ipc and ipc/linux (the Linux ABI: errno values) and sched only,
// and the standard library. Package kernel/watchdog, host-facing, imports kernel. The kernel never imports a server, a driver or user
// code; they reach it through ipc.Sys.
package kernel
