package hw

import "github.com/mkos/mkos/ipc"

// OpRecord is one read or write the disk started: when, what it touched,
// and its Timing. Tools that show a run's service order and latencies
// (`mkos ostep disk --mkos`) read them after the run.
type OpRecord struct {
	StartNs int64
	Write   bool
	Block   int64
	Count   int
	Timing
}

// Record turns the record of operations on (cleared) or off.
func (d *Disk) Record(on bool) {
	d.records = nil
	d.recording = on
}

// Records returns the operations started since Record(true), in the order
// the disk served them.
func (d *Disk) Records() []OpRecord { return d.records }

// record notes an operation started at now, when recording.
func (d *Disk) record(now int64, req *ipc.DevRequest, t Timing) {
	if d.recording {
		d.records = append(d.records, OpRecord{StartNs: now, Write: req.Op == OpWrite, Block: req.Arg[0], Count: int(req.Arg[1]), Timing: t})
	}
}
