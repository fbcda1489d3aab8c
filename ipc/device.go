package ipc

// DevID names a device attached to the kernel.
type DevID uint16

// DevRequest is one operation a driver starts on its device. The kernel
// holds Buf until the operation completes, like a DMA window: the device
// reads it (a write) or fills it (a read) when the operation finishes, and
// the driver must not reuse it before the completion.
type DevRequest struct {
	// Op is the device-specific operation.
	Op uint16
	// Arg are the device-specific arguments (e.g. block number, count).
	Arg [4]int64
	// Buf is the data window.
	Buf []byte
	// Tag is returned in the completion, for the driver's bookkeeping.
	Tag uint64
}

// DevCompletion is the result of a finished device operation.
type DevCompletion struct {
	Tag   uint64
	Op    uint16
	Errno Errno
	// N is the number of bytes moved.
	N int
	// DoneNs is the virtual time the operation completed.
	DoneNs int64
}
