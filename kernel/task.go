package kernel

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/sched"
)

// state is where a task is in its life. A task is in exactly one state; the
// comment says which kernel structure holds it there.
type state uint8

const (
	// stateFree: the slot holds no task.
	stateFree state = iota
	// stateRunning: the task holds a CPU (cpu.cur), possibly burning
	// Compute time.
	stateRunning
	// stateReady: runnable, queued in a CPU's policy.
	stateReady
	// stateSending: blocked in Send or in the send half of Call; linked
	// in blockedOn.senders.
	stateSending
	// stateReceiving: blocked in Receive; linked in blockedOn.waiters when
	// receiving from one task, in no list when receiving from Any.
	stateReceiving
	// stateAwaitReply: a Call was received; waiting for blockedOn's Reply;
	// linked in blockedOn.waiters.
	stateAwaitReply
	// stateSleeping: blocked until a timer event.
	stateSleeping
	// stateWaitService: a request waits for a service instance; linked in
	// the service's waiters.
	stateWaitService
	// stateDead: exited or killed; the slot is free once the coroutine has
	// unwound.
	stateDead
	// stateHung: an injected hang; never scheduled again, in no queue.
	stateHung
)

var stateNames = [...]string{"free", "running", "ready", "sending", "receiving", "await-reply", "sleeping", "wait-service", "dead", "hung"}

func (s state) String() string { return stateNames[s] }

// Task is one thread of control: a slot in the task table, its IPC state and
// its scheduler entity.
type Task struct {
	ep   ipc.Endpoint
	name string
	prio int

	// Run state, owned by the kernel.
	state state
	ent   sched.Entity
	cpu   int  // the CPU it runs or last ran on
	pin   bool // cpu is fixed
	// computeLeft is the virtual CPU time left of a Compute call.
	computeLeft int64
	// sysNs is the kernel time charged while it held a CPU (traps, IPC,
	// copies, switches to it); its Compute time is ent.RanNs.
	sysNs int64

	// IPC: the arguments and result of the blocking system call in
	// progress. LECTURE: ipc-state
	op        op
	msg       *ipc.Message // what to send (Send, Call)
	rbuf      *ipc.Message // where to receive (Receive, Call's reply)
	extra     *ipc.Extra   // bulk windows and timeout of a Call
	recvFrom  ipc.Endpoint // Receive's filter
	dst       ipc.Endpoint // the endpoint a Call or Send named (service or task)
	err       ipc.Errno    // result of the system call
	blockedOn *Task        // the task this one waits for, nil if none
	token     uint64       // bumped at every block; timer events carry it

	// Queues of other tasks blocked on this one.
	senders queue // tasks in stateSending towards this one, FIFO
	waiters queue // tasks receiving from or awaiting a reply from this one
	// link is this task's place in one queue above or in a service's.
	link link

	// Notifications.
	pending   uint64
	timerAt   int64
	timerBits uint64

	// Service bus: the services this task is an instance of, and the
	// request it has in flight as a client.
	services     []*service
	remotes      []*service // the services t is a remote instance of (bus_remote.go)
	callSvc      *service
	callInst     *Task    // the instance callSvc routed the request to, nil if none yet
	kwait        *service // in-kernel service that will answer this task later (ipc.NoReply)
	callT0       int64
	callDeadline int64 // when the Call in progress times out; 0 never
	serving      int   // requests received and not yet replied
	// called has bit id%64 set for every service id it has sent to (or,
	// for the pager, faulted to, or that spawned it: spawnedBy): whose
	// watchers hear of its death.
	called uint64
	// subs are its subscriptions (pubsub.go), streams the streams it is
	// the client or the server of (stream.go); busWait says it is blocked
	// in Sys.Bus (stateSleeping) until one of them has something.
	subs    []*subscription
	streams []*stream
	busWait bool

	// spoil is an injected garbage or slow fault for the next reply.
	spoil *armed

	// Lifetime.
	killed  bool // dead; its coroutine must unwind
	unwound bool // its body was sent the unwind panic (unwindBody)
	// dying is the exitCode or selfKill panic that ends the task from
	// inside its own trap (Exit, a kill of itself, SIGSEGV): a body that
	// recovers it still ends, with it, at its next trap or its return.
	dying any

	call     string // its system call in progress, noted for a watchdog (pulse.go)
	exitCode int
	cause    string

	kthread bool // the kernel thread of an in-kernel server (kcall.go)

	// Privileges and credentials, fixed at spawn (priv.go); cred changes
	// only by SetCred from a task that may set them (pm).
	priv *ipc.Priv
	cred ipc.Cred

	mem *taskMem // address space, grants, memory statistics; nil until used

	co    *coroutine
	sys   proc
	kfrm  []*kframe // frames for calls into servers placed in the kernel
	depth int       // nesting of in-kernel handler calls
	// doomed is a kill that arrived while the task was inside a handler
	// placed in the kernel (depth > 0): it takes effect when the handler
	// returns (task_exit.go).
	doomed *doom
}

// op is the blocking system call a task is in.
type op uint8

const (
	opNone op = iota
	opSend
	opCall
	opReceive
)

// Endpoint returns the task's endpoint.
func (t *Task) Endpoint() ipc.Endpoint { return t.ep }

// Name returns the name the task was spawned with.
func (t *Task) Name() string { return t.name }

// KernelThread reports whether the task is the kernel's own thread of a
// server placed in the kernel (it takes that server's interrupts).
func (t *Task) KernelThread() bool { return t.kthread }

// State returns the task's state as a word, for listings.
func (t *Task) State() string { return t.state.String() }

func (t *Task) slot() uint32 { return t.ep.Slot() }

// alive reports whether t exists and has not died.
func (t *Task) alive() bool { return t.state != stateFree && t.state != stateDead }

// result turns the stored errno into the system call's error.
func (t *Task) result() error {
	if t.err == 0 {
		return nil
	}
	return t.err
}
