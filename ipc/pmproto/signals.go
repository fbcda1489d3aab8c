package pmproto

import (
	"github.com/mkos/mkos/ipc/linux"
)

// NSig is one more than the highest signal pm delivers: the standard
// signals 1–31. Real-time signals are not supported (EINVAL).
const NSig = 32

// SignalBits is the mask of the notification bits that carry signals.
const SignalBits uint64 = 1<<(NSig-1) - 1

// SignalBit returns the notification bit that carries sig (1 ≤ sig < NSig):
// bit sig-1, as in a Linux sigset.
func SignalBit(sig linux.Signal) uint64 { return 1 << (uint(sig) - 1) }

// Signals returns the signals whose bits are set in bits, lowest first.
func Signals(bits uint64) []linux.Signal {
	var out []linux.Signal
	for sig := linux.Signal(1); sig < NSig; sig++ {
		if bits&SignalBit(sig) != 0 {
			out = append(out, sig)
		}
	}
	return out
}

// ValidSignal reports whether pm delivers sig (1 ≤ sig < NSig).
func ValidSignal(sig linux.Signal) bool { return sig >= 1 && sig < NSig }

// Action is what a signal does to a process that neither catches nor
// ignores it (signal(7)'s "default action").
type Action uint8

const (
	// Term ends the process; its wait status says which signal did.
	Term Action = iota + 1
	// Core ends it as Term does (mkos writes no core file).
	Core
	// Ign discards the signal.
	Ign
	// Stop stops the process: pm marks it stopped (ps shows T), tells its
	// parent's WUNTRACED wait, and notifies the task with SIGSTOP's bit;
	// the program's library then waits for SIGCONT at its next library
	// call (a read, a sleep, a wait), so a task that only computes stops
	// when its computing ends.
	Stop
	// Cont continues a stopped process (SIGCONT does, whatever its
	// disposition).
	Cont
)

// defaults is signal(7)'s table of default actions, for the signals pm
// delivers.
var defaults = [NSig]Action{
	linux.SIGHUP: Term, linux.SIGINT: Term, linux.SIGQUIT: Core, linux.SIGILL: Core,
	linux.SIGTRAP: Core, linux.SIGABRT: Core, linux.SIGBUS: Core, linux.SIGFPE: Core,
	linux.SIGKILL: Term, linux.SIGUSR1: Term, linux.SIGSEGV: Core, linux.SIGUSR2: Term,
	linux.SIGPIPE: Term, linux.SIGALRM: Term, linux.SIGTERM: Term, linux.SIGSTKFLT: Term,
	linux.SIGCHLD: Ign, linux.SIGCONT: Cont, linux.SIGSTOP: Stop, linux.SIGTSTP: Stop,
	linux.SIGTTIN: Stop, linux.SIGTTOU: Stop, linux.SIGURG: Ign, linux.SIGXCPU: Core,
	linux.SIGXFSZ: Core, linux.SIGVTALRM: Term, linux.SIGPROF: Term, linux.SIGWINCH: Ign,
	linux.SIGIO: Term, linux.SIGPWR: Term, linux.SIGSYS: Core,
}

// DefaultAction returns sig's default action; 0 for a signal pm does not
// deliver.
func DefaultAction(sig linux.Signal) Action {
	if !ValidSignal(sig) {
		return 0
	}
	return defaults[sig]
}

// Kills reports whether the default action of sig ends the process.
func Kills(sig linux.Signal) bool {
	a := DefaultAction(sig)
	return a == Term || a == Core
}

// Exited returns the wait status of a process that exited with code (only
// its low 8 bits are kept, as on Linux).
func Exited(code int) linux.WaitStatus { return linux.WaitStatus(code&0xff) << 8 }

// Signaled returns the wait status of a process ended by sig.
func Signaled(sig linux.Signal) linux.WaitStatus { return linux.WaitStatus(sig & 0x7f) }

// Stopped returns the wait status of a process sig stopped.
func Stopped(sig linux.Signal) linux.WaitStatus { return linux.WaitStatus(sig&0xff)<<8 | 0x7f }

// ShellStatus returns the status a shell shows as $? for ws: the exit
// code, or 128 plus the signal that ended the process.
func ShellStatus(ws linux.WaitStatus) int {
	if ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ws.ExitStatus()
}
