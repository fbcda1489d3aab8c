package ipc

// Virtual memory: the types shared by the kernel's MMU, the memory manager
// (the pager, a server) and user programs.
//
// Addresses are 32-bit (a uint64 holding a value below 1<<32), translated
// by a two-level page table like i386's: 10 bits of page-directory index,
// 10 bits of page-table index, 12 bits of offset in a 4 KiB page.

// PageSize is the size of a page and of a frame, in bytes.
const PageSize = 4096

// VALimit is the first address past the 32-bit address space.
const VALimit = 1 << 32

// Prot is the access a mapping allows.
type Prot uint8

// Protection bits.
const (
	ProtRead  Prot = 1 << iota // the page may be read
	ProtWrite                  // the page may be written
)

// FaultFlags describe a page fault (PageFault messages, Word(1)).
type FaultFlags uint64

// Fault flags.
const (
	FaultWrite   FaultFlags = 1 << iota // the access was a write (else a read)
	FaultPresent                        // the page was mapped, but the access was not allowed
)

// PTE flag bits, as kept in the kernel's page tables and returned by VMQuery.
const (
	PTEPresent  uint32 = 1 << 0
	PTEWritable uint32 = 1 << 1
	PTEUser     uint32 = 1 << 2
	PTEAccessed uint32 = 1 << 5
	PTEDirty    uint32 = 1 << 6
)

// VMOp is a pager operation (Sys.VM). Only the memory manager — an
// instance of the pager service ("mm" unless configured), or mm placed in the kernel — may use them.
type VMOp uint8

// Pager operations.
const (
	// VMAlloc allocates a zero-filled frame: result in Frame. ENOMEM when
	// physical memory is full.
	VMAlloc VMOp = iota + 1
	// VMFree frees Frame, which must be mapped nowhere (EBUSY otherwise).
	// When a task dies the kernel itself unmaps its pages and frees the
	// frames no one else maps: mm must then forget that task's pages
	// without VMFree (VMUnmap and VMQuery on it fail with ESRCH).
	VMFree
	// VMMap maps Frame at VA in Task's address space with Prot (the page's
	// old mapping, if any, is replaced). Several tasks may map one frame,
	// but the kernel decides which (LECTURE: frame-owners): a frame mapped
	// nowhere yet (fresh from VMAlloc) may go only to the pager itself or
	// to the page of Task whose fault is in progress, and then belongs to
	// Task; with Share it is shared too, under that name. A frame Task
	// already holds may be mapped anywhere in Task's space, a shared frame
	// anywhere under the name it was shared with; any other is EPERM
	// (another task's private frame, or another object's shared one).
	VMMap
	// VMUnmap removes Task's mapping of VA: Frame and Flags (accessed,
	// dirty) of the old entry come back. The TLBs are shot down.
	VMUnmap
	// VMProtect changes the Prot of Task's mapping of VA.
	VMProtect
	// VMQuery returns Task's entry for VA: Frame and Flags (0 when
	// unmapped).
	VMQuery
	// VMClearAccessed clears the accessed bit of Task's entry for VA (for
	// CLOCK), returning the old Flags.
	VMClearAccessed
	// VMReadFrame copies Frame's contents from offset VA (0..PageSize)
	// into Buf.
	VMReadFrame
	// VMWriteFrame copies Buf into Frame at offset VA.
	VMWriteFrame
	// VMFrames fills Frames with the frame table (used frames only).
	VMFrames
)

// VMRequest is the argument and result of Sys.VM.
type VMRequest struct {
	Op    VMOp
	Task  Endpoint
	VA    uint64
	Frame uint32
	Prot  Prot
	Buf   []byte
	// Share (VMMap), when not 0, names the shared object the page belongs
	// to (a shared segment, a file): a fresh frame is marked shared under
	// that name, and the pager may then map it into other tasks, always
	// under the same name. A private frame cannot become shared, and a
	// shared one is mapped under no other name (EPERM): a pager that
	// mixes up its frames cannot hand one object's page to another's
	// users.
	Share uint64
	// Results.
	Flags  uint32
	Frames []FrameInfo
}

// FrameInfo is one line of the frame table.
type FrameInfo struct {
	Frame    uint32
	Mappings int      // how many page-table entries point at it
	Task     Endpoint // the last mapping's task (0 when unmapped)
	VA       uint64   // the last mapping's address
	Owner    Endpoint // the task the frame belongs to (0: the pager's own, mapped nowhere yet)
	Share    uint64   // the name its owner shared it under (VMRequest.Share); 0: private
}

// GrantID names a grant: a range of a task's address space it lets another
// task read or write through the kernel (MINIX safecopy).
type GrantID uint32

// MemStats are a task's memory counters.
type MemStats struct {
	Resident    int   // pages mapped
	MinorFaults int64 // faults served without I/O
	MajorFaults int64 // faults that needed I/O (the pager said so)
	TLBHits     int64
	TLBMisses   int64
}
