package linux

// WaitStatus is a Linux wait status as wait(2) stores it: the exit code in
// bits 8–15 for a process that exited, the signal in bits 0–6 for one a
// signal ended (bit 7 says it dumped core), 0x7f in bits 0–7 for a
// stopped one with the stop signal in bits 8–15, 0xffff for a continued one.
type WaitStatus uint32

const (
	waitMask    = 0x7f
	waitCore    = 0x80
	waitStopped = 0x7f
	waitShift   = 8
)

// Exited reports whether the process exited on its own.
func (w WaitStatus) Exited() bool { return w&waitMask == 0 }

// Signaled reports whether a signal ended the process.
func (w WaitStatus) Signaled() bool { return w&waitMask != waitStopped && w&waitMask != 0 }

// Stopped reports whether the process is stopped.
func (w WaitStatus) Stopped() bool { return w&0xff == waitStopped }

// Continued reports whether the process was continued.
func (w WaitStatus) Continued() bool { return w == 0xffff }

// CoreDump reports whether the process dumped core as it ended.
func (w WaitStatus) CoreDump() bool { return w.Signaled() && w&waitCore != 0 }

// ExitStatus returns the exit code, or -1 when the process did not exit.
func (w WaitStatus) ExitStatus() int {
	if !w.Exited() {
		return -1
	}
	return int(w>>waitShift) & 0xff
}

// Signal returns the signal that ended the process, or -1 when none did.
func (w WaitStatus) Signal() Signal {
	if !w.Signaled() {
		return -1
	}
	return Signal(w & waitMask)
}

// StopSignal returns the signal that stopped the process, or -1.
func (w WaitStatus) StopSignal() Signal {
	if !w.Stopped() {
		return -1
	}
	return Signal(w>>waitShift) & 0xff
}
