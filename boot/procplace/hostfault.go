package procplace

import (
	"os"
	"runtime/debug"
	"sync/atomic"
)

// HostFault is a real host fault injected into a server process: what a
// task on a coroutine cannot survive, and a process can.
type HostFault uint32

// The host faults. Kill9 is done to the process from outside, by its
// proxy; the others run inside it, in the server's own call stack, as it
// receives its next request.
const (
	FaultKill9          HostFault = iota + 1 // SIGKILL from outside
	FaultExit                                // os.Exit(3)
	FaultPanic                               // a Go panic in the server
	FaultStackOverflow                       // unbounded recursion
	FaultOOM                                 // allocating past the address-space limit
	FaultMapWrite                            // a concurrent map write
	FaultGoroutinePanic                      // a panic on a stray goroutine
	FaultSyscall                             // a system call the sandbox forbids (open fails, then socket)
	FaultSpin                                // an endless loop: the watchdog's case
)

var hostFaultNames = [...]string{"", "kill9", "exit", "panic", "stackoverflow", "oom", "mapwrite", "goroutinepanic", "syscall", "spin"}

func (f HostFault) String() string {
	if int(f) < len(hostFaultNames) {
		return hostFaultNames[f]
	}
	return "hostfault?"
}

// HostFaults lists every host fault, in order.
func HostFaults() []HostFault {
	out := make([]HostFault, 0, len(hostFaultNames)-1)
	for f := FaultKill9; int(f) < len(hostFaultNames); f++ {
		out = append(out, f)
	}
	return out
}

// ParseHostFault reads a host fault's name.
func ParseHostFault(s string) (HostFault, bool) {
	for i, n := range hostFaultNames {
		if i > 0 && n == s {
			return HostFault(i), true
		}
	}
	return 0, false
}

// Arm holds the host fault armed for the next request a service's process
// receives; it outlives the service's restarts.
type Arm struct{ f atomic.Uint32 }

// Set arms f (0 disarms).
func (a *Arm) Set(f HostFault) { a.f.Store(uint32(f)) }

// take returns the armed fault and disarms it.
func (a *Arm) take() HostFault {
	if a == nil {
		return 0
	}
	return HostFault(a.f.Swap(0))
}

// Sink keeps what faults allocate reachable.
var sink [][]byte

// run executes a fault inside the process. It does not return, except for
// Kill9, which is not its to do.
func (f HostFault) run() {
	switch f {
	case FaultExit:
		os.Exit(3)
	case FaultPanic:
		panic("injected host fault: panic")
	case FaultStackOverflow:
		debug.SetMaxStack(1 << 20)
		recurse(0)
	case FaultOOM:
		limitMemory()
		for {
			sink = append(sink, make([]byte, 64<<20))
		}
	case FaultMapWrite:
		m := map[int]int{}
		for range 2 {
			go func() {
				for i := 0; ; i++ {
					m[i&1023] = i
				}
			}()
		}
		select {}
	case FaultGoroutinePanic:
		go func() { panic("injected host fault: panic on a stray goroutine") }()
		select {}
	case FaultSyscall:
		if f, err := os.Open("/etc/passwd"); err == nil {
			f.Close()
			panic("the sandbox let a server process open /etc/passwd")
		}
		forbidden()
	case FaultSpin:
		for {
		}
	}
}

// recurse never ends.
func recurse(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	return recurse(n+1) + int(pad[0])
}
