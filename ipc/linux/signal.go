package linux

import "strconv"

// Signal is a Linux signal number (SIGKILL is 9 on every host).
type Signal int

// NSig is one more than the highest standard signal.
const NSig = 32

// String returns Linux's text for s ("killed"), or "signal N" for a number
// outside the standard signals.
func (s Signal) String() string {
	if s > 0 && int(s) < len(signalTable) {
		return signalTable[s].text
	}
	return "signal " + strconv.Itoa(int(s))
}

// SignalName returns s's name ("SIGKILL"), or "" outside the standard
// signals.
func SignalName(s Signal) string {
	if s > 0 && int(s) < len(signalTable) {
		return signalTable[s].name
	}
	return ""
}

// SignalNum returns the signal named name ("SIGKILL"), or 0 when there is
// none.
func SignalNum(name string) Signal {
	for s := Signal(1); int(s) < len(signalTable); s++ {
		if signalTable[s].name == name {
			return s
		}
	}
	return 0
}
