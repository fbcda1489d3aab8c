package kernel

// Stats are the kernel's counters over a whole run.
type Stats struct {
	Traps       int64 // system calls entered
	Messages    int64 // messages delivered (requests, sends and replies)
	KernelCalls int64 // requests served by in-kernel handlers
	Switches    int64 // context switches
	Ticks       int64 // clock interrupts
	Notifies    int64 // notifications posted
	BulkBytes   int64 // bytes moved by CopyIn and CopyOut
	Spawns      int64
	Deaths      int64
}

// Stats returns the counters so far.
func (k *Kernel) Stats() Stats { return k.stats }

// CPUStat is one virtual CPU's counters.
type CPUStat struct {
	ID       int
	NowNs    int64
	Switches int64
	BusyNs   int64 // time spent in Compute
}

// CPUStats returns the per-CPU counters.
func (k *Kernel) CPUStats() []CPUStat {
	out := make([]CPUStat, len(k.cpus))
	for i, c := range k.cpus {
		out[i] = CPUStat{ID: c.id, NowNs: c.now, Switches: c.switches, BusyNs: c.busyNs}
	}
	return out
}
