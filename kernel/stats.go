package kernel

// Stats are the kernel's counters over a whole run.
type Stats struct {
	Traps       int64 `json:"traps"`        // system calls entered
	Messages    int64 `json:"messages"`     // messages delivered (requests, sends and replies)
	KernelCalls int64 `json:"kernel_calls"` // requests served by in-kernel handlers
	Switches    int64 `json:"switches"`     // context switches
	Ticks       int64 `json:"ticks"`        // clock interrupts that found a CPU busy
	Notifies    int64 `json:"notifies"`     // notifications posted
	BulkBytes   int64 `json:"bulk_bytes"`   // bytes moved by CopyIn and CopyOut
	Migrations  int64 `json:"migrations"`   // tasks moved to an idle CPU by the load balancer
	PageFaults  int64 `json:"page_faults"`  // faults sent to the memory manager
	Injected    int64 `json:"faults_injected"`
	Denied      int64 `json:"denied"` // privileged calls refused (EPERM)
	Spawns      int64 `json:"spawns"`
	Deaths      int64 `json:"deaths"`
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
