package ipc

// Injection is a kind of fault the kernel can inject into a service, for
// the `crash` utility and the fault-injection campaigns. The fault hits the
// next request the service receives.
type Injection uint8

// The injectable faults.
const (
	// InjectCrash kills the instance as it receives the request (in the
	// kernel: a kernel panic).
	InjectCrash Injection = iota + 1
	// InjectHang makes the instance stop answering: it is never scheduled
	// again until it is killed (in the kernel: the caller never returns).
	InjectHang
	// InjectGarbage corrupts the contents of the reply to the request.
	InjectGarbage
	// InjectSlow delays the reply by the injection's parameter, in virtual
	// nanoseconds (past the caller's timeout, if it has one).
	InjectSlow
)

var injectionNames = [...]string{"", "crash", "hang", "garbage", "slow"}

// String names the injection as the CLI does.
func (i Injection) String() string {
	if int(i) < len(injectionNames) && i > 0 {
		return injectionNames[i]
	}
	return "injection?"
}

// ParseInjection reads an injection's name.
func ParseInjection(s string) (Injection, bool) {
	for i, n := range injectionNames {
		if n == s && i > 0 {
			return Injection(i), true
		}
	}
	return 0, false
}
