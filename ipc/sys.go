package ipc

// Sys is the system-call surface of a task: the only way a task body reaches
// the kernel. Every method is one trap. The kernel implements it; a task
// receives its handle as the argument of its body and must not share it.
//
// Errors are Errno values (see errno.go); a method that can block returns
// ErrHalted when the system halts under it.
type Sys interface {
	// Self returns the caller's own endpoint.
	Self() Endpoint
	// Now returns the virtual time in nanoseconds since boot.
	Now() int64

	// Send delivers m to dst and blocks until dst has received it.
	Send(dst Endpoint, m *Message) error
	// Receive blocks until a message from `from` (or from anyone, with Any)
	// arrives and copies it into m. Pending notifications are delivered
	// first, as a message of type Notification.
	Receive(from Endpoint, m *Message) error
	// Call sends req to dst and blocks until dst replies into reply: one
	// trap. A service endpoint is routed by the bus to a live instance.
	Call(dst Endpoint, req, reply *Message) error
	// CallWith is Call with a bulk window and a timeout (see Extra).
	CallWith(dst Endpoint, req, reply *Message, x *Extra) error
	// Reply answers a caller blocked in Call on this task. It never blocks.
	Reply(to Endpoint, m *Message) error
	// ReplyWait replies to `to` (skipped when to is KernelEndpoint) and then
	// receives the next message from anyone into next: the server loop's
	// one trap per request. A reply nobody waits for any more (the caller
	// died or timed out) is dropped; the error is the receive's.
	ReplyWait(to Endpoint, reply, next *Message) error
	// Notify ORs bits into dst's pending notifications without blocking.
	// A service endpoint's bits go to its live instance (or its kernel
	// thread), or wait for the next instance to register: a driver tells
	// its client that data waits without knowing which task serves it.
	// Bits to another task or to a service need KNotify.
	Notify(dst Endpoint, bits uint64) error
	// Poll returns the caller's pending notification bits and clears
	// them, without blocking: how a program checks for signals between
	// system calls.
	Poll() uint64

	// CopyIn copies from the send window of caller (a task blocked in a
	// Call that this task received) at offset off into dst.
	CopyIn(caller Endpoint, off int, dst []byte) (int, error)
	// CopyOut copies src into the receive window of caller at offset off.
	CopyOut(caller Endpoint, off int, src []byte) (int, error)

	// Register makes the calling task an instance of the named service,
	// creating the service if needed.
	Register(name string) (ServiceID, error)
	// Lookup returns the id of the named service.
	Lookup(name string) (ServiceID, error)

	// Sleep blocks for ns nanoseconds of virtual time.
	Sleep(ns int64) error
	// SetTimer arranges for bits to be notified to the caller at virtual
	// time deadline (ns since boot); 0 cancels the timer.
	SetTimer(deadline int64, bits uint64) error
	// Compute burns ns nanoseconds of virtual CPU time, and can be
	// preempted at tick boundaries like any user code.
	Compute(ns int64)
	// Yield gives up the rest of the quantum.
	Yield()
	// Rand returns a number from the kernel's seeded generator: the same
	// seed gives the same numbers in the same order.
	Rand() uint64

	// Device returns the id of the named device, which must be attached to
	// a service the caller is an instance of (or the caller runs in the
	// kernel): only its driver may program a device.
	Device(name string) (DevID, error)
	// DevStart starts an operation on the device and returns at once; the
	// device interrupts (a notification to the driver's service) when it
	// completes. EBUSY while the device is busy with another operation.
	DevStart(dev DevID, req *DevRequest) error
	// DevDone returns the oldest completion not yet read.
	DevDone(dev DevID) (DevCompletion, bool)

	// Load reads len(buf) bytes of the caller's memory at virtual address
	// va, through the MMU: a page that is not mapped faults to the memory
	// manager, and the load goes on when it has mapped it. An access the
	// memory manager refuses kills the task (SIGSEGV).
	Load(va uint64, buf []byte) error
	// Store writes data to the caller's memory at va, like Load.
	Store(va uint64, data []byte) error
	// VM is the memory manager's access to the MMU and to physical memory
	// (see VMOp). EPERM for anyone else.
	VM(req *VMRequest) error
	// Grant lets task `to` read (and, with ProtWrite, write) length bytes
	// of the caller's memory from va, through GrantCopy.
	Grant(to Endpoint, va, length uint64, prot Prot) (GrantID, error)
	// Revoke ends a grant the caller made.
	Revoke(g GrantID) error
	// GrantCopy copies between buf and the memory that owner granted the
	// caller with g, at offset off in the grant: from the grant into buf,
	// or, with write, from buf into the grant. Pages the owner has not
	// touched yet fault to the memory manager first.
	GrantCopy(owner Endpoint, g GrantID, off uint64, buf []byte, write bool) (int, error)
	// MemStats returns the caller's memory counters.
	MemStats() MemStats

	// Spawn creates a task running spec.Body, with at most the caller's
	// privileges (KSpawn).
	Spawn(spec TaskSpec) (Endpoint, error)
	// Exit ends the calling task; it does not return.
	Exit(code int)
	// Kill ends the task at ep (KKill, unless ep is the caller).
	Kill(ep Endpoint) error
	// Inject arms a fault in the named service: it hits the next request
	// the service receives (see Injection). param is InjectSlow's delay.
	Inject(service string, kind Injection, param int64) error
	// Supervise makes the caller the supervisor: the kernel notifies it
	// with NotifyDeath whenever a task dies (KSupervise).
	Supervise() error
	// NextDeath returns the oldest death notice not yet read: the
	// supervisor's, or those of a service the caller is an instance of
	// that watches exits (WatchExits).
	NextDeath() (Death, bool)
	// WatchExits makes the services the caller is an instance of hear,
	// from now on, of the death of every task that has called them (the
	// pager: or faulted to it): NotifyDeath, and a notice for each to read
	// with NextDeath (KExits). A server placed in the kernel that
	// implements ExitWatcher watches from the start.
	WatchExits() error
	// Update is one step of a live update of the named service (KUpdate):
	// hold its requests, switch it from instance old to new, or abort
	// (see UpdateStep).
	Update(service string, step UpdateStep, old, new Endpoint) error

	// Bus is publish/subscribe and request/stream on the service bus
	// (bus.go): one operation per trap.
	Bus(req *BusRequest) error

	// Cred returns the credentials of the task at ep: how a server learns
	// who its caller acts for.
	Cred(ep Endpoint) (Cred, error)
	// SetCred changes the credentials of the task at ep (KSetCred: pm,
	// for su and login).
	SetCred(ep Endpoint, c Cred) error
	// TaskTime returns the virtual CPU time the task at ep has used so
	// far: what anyone may ask, as ps shows it to everyone.
	TaskTime(ep Endpoint) (TaskTime, error)
}

// TaskTime is a task's CPU time in virtual nanoseconds: UserNs in its own
// Compute, SysNs in the kernel on its behalf (traps, IPC, copies, switches
// to it). The servers' time serving it is theirs, not its.
type TaskTime struct {
	UserNs, SysNs int64
}

// Extra carries the optional parts of a call.
type Extra struct {
	// Send is the bulk data the callee may read with CopyIn.
	Send []byte
	// Recv is the buffer the callee may fill with CopyOut.
	Recv []byte
	// TimeoutNs, when positive, fails the call with ErrTimeout after that
	// much virtual time without a reply.
	TimeoutNs int64
}

// TaskSpec describes a task to create.
type TaskSpec struct {
	// Name shows in traces and listings.
	Name string
	// Body is the task's code. It runs on its own coroutine and reaches the
	// kernel only through sys. Returning from Body exits with code 0.
	Body func(sys Sys)
	// Prio is the static priority, 0 the highest.
	Prio int
	// Pin keeps the task on virtual CPU number CPU; without it the kernel
	// places the task and may move it.
	Pin bool
	CPU int
	// Tickets is the task's share under lottery scheduling (0: default).
	Tickets int
	// LengthNs is the declared length of the job, for policies that use
	// it (sjf, stcf), as textbooks assume.
	LengthNs int64
	// Priv is the child's privilege record; it must be a subset of the
	// parent's. Nil gives the child the parent's own (a task boot spawns:
	// the kernel's, everything).
	Priv *Priv
	// Cred is the child's credentials; nil inherits the parent's. Other
	// credentials than the parent's need KSetCred.
	Cred *Cred
	// Recipe, when set, says in data how Body was made. A server in a host
	// process cannot hand the kernel a Go function: its Spawn sends the
	// recipe instead, and the proxy makes the body again from it (see
	// Recipe). The kernel itself ignores it.
	Recipe *Recipe
}

// Recipe describes a task body as data that crosses a process boundary:
// the name of a body maker and the maker's argument, which its caller
// encodes. pm's program wrapper is one maker ("pm.program"): its argument
// names the program, its argv and environment, and the process it runs
// as. The side that holds the code (boot, for a proxy) keeps the table of
// makers.
type Recipe struct {
	// Maker names the body maker.
	Maker string
	// Arg is the maker's argument.
	Arg []byte
}

// NotifyDeath is the notification bit the kernel sets at the supervisor,
// and at a service that watches exits, when a task dies; read the notices
// with NextDeath.
const NotifyDeath uint64 = 1 << 63

// Death is a death notice.
type Death struct {
	Task   Endpoint
	Name   string
	Cause  string // "exit", "panic: …", "killed"
	Code   int
	TimeNs int64
	// Lost says that notices were dropped because the service's queue was
	// full (Task is 0): any client may have died unseen, and the server
	// asks the kernel about each (Alive).
	Lost bool
}
