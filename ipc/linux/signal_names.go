package linux

// The standard signals of Linux (x86 and the generic ABI, signal(7)),
// the same on every host.
const (
	SIGHUP    Signal = 1
	SIGINT    Signal = 2
	SIGQUIT   Signal = 3
	SIGILL    Signal = 4
	SIGTRAP   Signal = 5
	SIGABRT   Signal = 6
	SIGBUS    Signal = 7
	SIGFPE    Signal = 8
	SIGKILL   Signal = 9
	SIGUSR1   Signal = 10
	SIGSEGV   Signal = 11
	SIGUSR2   Signal = 12
	SIGPIPE   Signal = 13
	SIGALRM   Signal = 14
	SIGTERM   Signal = 15
	SIGSTKFLT Signal = 16
	SIGCHLD   Signal = 17
	SIGCONT   Signal = 18
	SIGSTOP   Signal = 19
	SIGTSTP   Signal = 20
	SIGTTIN   Signal = 21
	SIGTTOU   Signal = 22
	SIGURG    Signal = 23
	SIGXCPU   Signal = 24
	SIGXFSZ   Signal = 25
	SIGVTALRM Signal = 26
	SIGPROF   Signal = 27
	SIGWINCH  Signal = 28
	SIGIO     Signal = 29
	SIGPWR    Signal = 30
	SIGSYS    Signal = 31

	// SIGIOT is SIGABRT, as on Linux.
	SIGIOT = SIGABRT
	// SIGPOLL is SIGIO, as on Linux.
	SIGPOLL = SIGIO
)

// signalTable holds each signal's name and Linux's own text for it
// (strsignal, lower-cased as Go prints it), indexed by number.
var signalTable = [...]struct{ name, text string }{
	SIGHUP:    {"SIGHUP", "hangup"},
	SIGINT:    {"SIGINT", "interrupt"},
	SIGQUIT:   {"SIGQUIT", "quit"},
	SIGILL:    {"SIGILL", "illegal instruction"},
	SIGTRAP:   {"SIGTRAP", "trace/breakpoint trap"},
	SIGABRT:   {"SIGABRT", "aborted"},
	SIGBUS:    {"SIGBUS", "bus error"},
	SIGFPE:    {"SIGFPE", "floating point exception"},
	SIGKILL:   {"SIGKILL", "killed"},
	SIGUSR1:   {"SIGUSR1", "user defined signal 1"},
	SIGSEGV:   {"SIGSEGV", "segmentation fault"},
	SIGUSR2:   {"SIGUSR2", "user defined signal 2"},
	SIGPIPE:   {"SIGPIPE", "broken pipe"},
	SIGALRM:   {"SIGALRM", "alarm clock"},
	SIGTERM:   {"SIGTERM", "terminated"},
	SIGSTKFLT: {"SIGSTKFLT", "stack fault"},
	SIGCHLD:   {"SIGCHLD", "child exited"},
	SIGCONT:   {"SIGCONT", "continued"},
	SIGSTOP:   {"SIGSTOP", "stopped (signal)"},
	SIGTSTP:   {"SIGTSTP", "stopped"},
	SIGTTIN:   {"SIGTTIN", "stopped (tty input)"},
	SIGTTOU:   {"SIGTTOU", "stopped (tty output)"},
	SIGURG:    {"SIGURG", "urgent I/O condition"},
	SIGXCPU:   {"SIGXCPU", "CPU time limit exceeded"},
	SIGXFSZ:   {"SIGXFSZ", "file size limit exceeded"},
	SIGVTALRM: {"SIGVTALRM", "virtual timer expired"},
	SIGPROF:   {"SIGPROF", "profiling timer expired"},
	SIGWINCH:  {"SIGWINCH", "window changed"},
	SIGIO:     {"SIGIO", "I/O possible"},
	SIGPWR:    {"SIGPWR", "power failure"},
	SIGSYS:    {"SIGSYS", "bad system call"},
}
