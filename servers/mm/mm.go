package mm

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// Options configure a memory manager. Zero fields take the defaults noted.
type Options struct {
	// Policy names the replacement policy (Policies; default "clock").
	Policy string
	// Params are the policy's parameters.
	Params Params
	// ResidentLimit caps the frames mm uses for pages; at the cap a fault
	// evicts a page first. 0: no cap, evict only when the kernel runs out
	// of frames (VMAlloc fails with ENOMEM).
	ResidentLimit int
	// ExactRefs: references come from Ref requests (the paging lab), not
	// from sampling the accessed bits.
	ExactRefs bool
	// SwapService names the disk service that holds swap (default "swap");
	// "-" means none. Without one, swap is kept in mm's memory (swap.go).
	SwapService string
	// Swap, when set, is the swap store to use (tests).
	Swap SwapStore
	// NoStash keeps no state for a restart (restart.go): the lab and
	// lectures, where frame numbers should start at 0 and mm never dies.
	NoStash bool
}

// Server is the memory manager: an ipc.Server that answers page faults
// and the mmproto requests.
type Server struct {
	opt      Options
	pol      Policy
	started  bool
	spaces   map[ipc.Endpoint]*space
	shared   map[uint64]*object
	resident int // frames holding pages
	stats    mmproto.Stats
	notes    map[ipc.Endpoint]*note // what the lab's Ref reports
	dead     map[ipc.Endpoint]bool  // tasks found dead, forgotten after the request
	gcMark   int                    // collect dead spaces past this many

	// Swap.
	swap     SwapStore
	swapFree []int64
	swapNext int64
	buf      []byte // a page, for swap transfers

	// Files behind mappings (file.go).
	files        map[fileKey]*fileRef
	fsDst        ipc.Endpoint
	fsKnown      bool
	filesChanged bool // a file mapping went: close unused descriptors

	exited []mmproto.TaskStats // the last tasks found dead (taskstats.go)

	sys     ipc.Sys // the request's, for the policy's bit reads (accessed)
	busy    bool    // serving a request (placed in the kernel: see Handle)
	queue   []queued
	stash   stash      // mm's state kept in frames for a restart (restart.go)
	pending []slotNote // slot records waiting for a table frame
	dirty   bool       // regions changed during this request: stash them
	// handover is a predecessor's state in a live update, for start
	// (state.go).
	handover *mmState
}

// note is what mm did for a task since its last Ref.
type note struct {
	miss     bool
	evicted  bool
	victimVA uint64
}

// New returns a memory manager with the default options: what boot
// places or spawns as the "mm" server.
func New() ipc.Server { return NewWith(Options{}) }

// NewWith returns a memory manager with opt. It panics on an unknown
// policy name: options are checked by whoever builds them (the lab, the
// CLI).
func NewWith(opt Options) *Server {
	if opt.Policy == "" {
		opt.Policy = "clock"
	}
	if opt.SwapService == "" {
		opt.SwapService = "swap"
	}
	pol, err := NewPolicy(opt.Policy, opt.Params)
	if err != nil {
		panic(err)
	}
	s := &Server{opt: opt, pol: pol, spaces: map[ipc.Endpoint]*space{}, shared: map[uint64]*object{},
		notes: map[ipc.Endpoint]*note{}, dead: map[ipc.Endpoint]bool{}, gcMark: 64, files: map[fileKey]*fileRef{}}
	if br, ok := pol.(bitReader); ok && !opt.ExactRefs {
		br.readBits(s.accessed)
	}
	return s
}

// Policy returns the replacement policy in use.
func (s *Server) Policy() Policy { return s.pol }

// Stats returns mm's counters.
func (s *Server) Stats() mmproto.Stats {
	st := s.stats
	st.Resident, st.Limit = s.resident, s.opt.ResidentLimit
	return st
}

// Handle serves one request: a page fault from the kernel, or an mmproto
// request from a task about its own address space. It runs in mm's task in
// micro mode and inside the faulting task's trap when mm is placed in the
// kernel; it cannot tell the difference.
//
// Placed in the kernel, mm can be entered again while a request waits for
// the swap disk, by another task's fault: that request is queued and
// answered (Sys.Reply) when the first is done, so that mm serves one
// request at a time in every placement, as its own task does.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if s.busy {
		s.queue = append(s.queue, queued{req: *req, caller: ctx.Caller})
		return ipc.Message{Type: ipc.NoReply}
	}
	s.busy = true
	rep := s.serve(ctx, req)
	s.drain(ctx.Sys)
	s.busy = false
	return rep
}

// drain serves the requests that queued while mm was busy.
func (s *Server) drain(sys ipc.Sys) {
	for len(s.queue) > 0 {
		q := s.queue[0]
		s.queue = s.queue[1:]
		qctx := ipc.Ctx{Sys: sys, Caller: q.caller}
		r := s.serve(&qctx, &q.req)
		_ = sys.Reply(q.caller, &r) // a caller that died needs no answer
	}
}

// queued is a request that arrived while mm was busy.
type queued struct {
	req    ipc.Message
	caller ipc.Endpoint
}

// serve serves one request.
func (s *Server) serve(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	s.sys = ctx.Sys
	s.start(ctx.Sys)
	var rep ipc.Message
	switch req.Type {
	case ipc.PageFault:
		rep = s.fault(ctx.Sys, req)
	case mmproto.Brk:
		rep = s.brk(ctx, req)
	case mmproto.Mmap:
		rep = s.mmap(ctx, req)
	case mmproto.Munmap:
		rep = s.munmap(ctx, req)
	case mmproto.Mprotect:
		rep = s.mprotect(ctx, req)
	case mmproto.GetStats:
		rep = ipc.Reply(req)
		mmproto.EncodeStats(&rep, s.Stats())
	case mmproto.Ref:
		rep = s.ref(ctx, req)
	case mmproto.Resident:
		rep = s.residentPages(ctx, req)
	case mmproto.Msync:
		rep = s.msync(ctx, req)
	case mmproto.GetTaskStats:
		rep = s.taskStats(ctx, req)
	case mmproto.Release:
		rep = s.releaseAll(ctx, req)
	default:
		rep = ipc.ErrorReply(req, ipc.ErrNoSys)
	}
	if len(s.spaces) > s.gcMark {
		s.collect(ctx.Sys)
	}
	s.reap(ctx.Sys)
	if s.filesChanged {
		s.closeUnused(ctx.Sys)
	}
	s.save(ctx.Sys)
	return rep
}

// noteFor returns task's lab note, creating it.
func (s *Server) noteFor(task ipc.Endpoint) *note {
	n := s.notes[task]
	if n == nil {
		n = &note{}
		s.notes[task] = n
	}
	return n
}
