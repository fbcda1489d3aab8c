package mm

import (
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"sort"

	"github.com/mkos/mkos/ipc"
)

// The stash's frames: reading a stash, rewriting its header and JSON, and
// the slot table's records (see restart.go for what the stash is for).

// readStash reads the stash whose header may be in frame f: its frames,
// the JSON and the slot table.
func readStash(sys ipc.Sys, f uint32) (st stash, data, table []byte, ok bool) {
	hdr := make([]byte, ipc.PageSize)
	if sys.VM(&ipc.VMRequest{Op: ipc.VMReadFrame, Frame: f, Buf: hdr}) != nil || [8]byte(hdr[:8]) != stashMagic {
		return st, nil, nil, false
	}
	st.header, st.gen = f, binary.LittleEndian.Uint64(hdr[8:])
	n, sum := binary.LittleEndian.Uint64(hdr[16:]), binary.LittleEndian.Uint32(hdr[24:])
	nj, nt := int(binary.LittleEndian.Uint32(hdr[28:])), int(binary.LittleEndian.Uint32(hdr[32:]))
	if nj+nt > maxStashFrames || n > uint64(nj)*ipc.PageSize {
		return st, nil, nil, false
	}
	all := make([]byte, (nj+nt)*ipc.PageSize)
	for i := range nj + nt {
		fr := binary.LittleEndian.Uint32(hdr[stashHeader+4*i:])
		if sys.VM(&ipc.VMRequest{Op: ipc.VMReadFrame, Frame: fr, Buf: all[i*ipc.PageSize : (i+1)*ipc.PageSize]}) != nil {
			return st, nil, nil, false
		}
		if i < nj {
			st.json = append(st.json, fr)
		} else {
			st.table = append(st.table, fr)
		}
	}
	data, table = all[:n], all[nj*ipc.PageSize:]
	return st, data, table, crc32.ChecksumIEEE(data) == sum
}

// save rewrites the stash's header and JSON when the regions changed.
func (s *Server) save(sys ipc.Sys) {
	s.flushSlots(sys)
	if !s.dirty || s.opt.NoStash {
		return
	}
	s.dirty = false
	data, _ := json.Marshal(s.snapshot(sys))
	need := (len(data) + ipc.PageSize - 1) / ipc.PageSize
	if need+len(s.stash.table) > maxStashFrames || !s.stashFrames(sys, need) {
		return // no stash: a restart rebuilds from the page tables alone
	}
	s.stash.gen++
	hdr := make([]byte, stashHeader, ipc.PageSize)
	copy(hdr, stashMagic[:])
	binary.LittleEndian.PutUint64(hdr[8:], s.stash.gen)
	binary.LittleEndian.PutUint64(hdr[16:], uint64(len(data)))
	binary.LittleEndian.PutUint32(hdr[24:], crc32.ChecksumIEEE(data))
	binary.LittleEndian.PutUint32(hdr[28:], uint32(need))
	binary.LittleEndian.PutUint32(hdr[32:], uint32(len(s.stash.table)))
	for i, f := range s.stash.json {
		hdr = binary.LittleEndian.AppendUint32(hdr, f)
		chunk := data[i*ipc.PageSize : min(len(data), (i+1)*ipc.PageSize)]
		sys.VM(&ipc.VMRequest{Op: ipc.VMWriteFrame, Frame: f, Buf: chunk})
	}
	for _, f := range s.stash.table {
		hdr = binary.LittleEndian.AppendUint32(hdr, f)
	}
	sys.VM(&ipc.VMRequest{Op: ipc.VMWriteFrame, Frame: s.stash.header, Buf: hdr})
}

// stashFrames makes the stash hold a header and exactly need JSON frames.
func (s *Server) stashFrames(sys ipc.Sys, need int) bool {
	if s.stash.header == 0 && s.stash.gen == 0 {
		f, e := s.alloc(sys)
		if e != 0 {
			return false
		}
		s.stash.header = f
	}
	for len(s.stash.json) < need {
		f, e := s.alloc(sys)
		if e != 0 {
			return false
		}
		s.stash.json = append(s.stash.json, f)
	}
	for _, f := range s.stash.json[need:] {
		free(sys, f)
	}
	s.stash.json = s.stash.json[:need]
	return true
}

// recordSlot writes slot's record in the slot table: the page it holds,
// or free. It runs in the middle of evictions, so it must not evict: when
// the table needs a frame the kernel cannot give at once, the record
// waits for the end of the request (flushSlots).
func (s *Server) recordSlot(sys ipc.Sys, slot int64, key Page, used bool) {
	if s.opt.NoStash {
		return
	}
	i := int(slot / slotsPerFrame)
	for len(s.stash.table) <= i {
		req := ipc.VMRequest{Op: ipc.VMAlloc}
		if sys.VM(&req) != nil {
			s.pending = append(s.pending, slotNote{slot, key, used})
			return
		}
		s.stash.table = append(s.stash.table, req.Frame)
		s.dirty = true // the header lists the table's frames
	}
	rec := make([]byte, slotRecord)
	if used {
		binary.LittleEndian.PutUint64(rec, key.Space)
		binary.LittleEndian.PutUint64(rec[8:], key.VPN+1)
	}
	off := uint64(slot%slotsPerFrame) * slotRecord
	sys.VM(&ipc.VMRequest{Op: ipc.VMWriteFrame, Frame: s.stash.table[i], VA: off, Buf: rec})
}

// slotNote is a slot record waiting for a table frame.
type slotNote struct {
	slot int64
	key  Page
	used bool
}

// flushSlots writes the waiting slot records, evicting pages to make room
// for the table's frames: at the end of a request, where an eviction may
// start.
func (s *Server) flushSlots(sys ipc.Sys) {
	for tries := 0; len(s.pending) > 0 && tries < 8; tries++ {
		f, e := s.alloc(sys)
		if e != 0 {
			return
		}
		s.stash.table = append(s.stash.table, f)
		s.dirty = true
		notes := s.pending
		s.pending = nil
		for _, n := range notes {
			s.recordSlot(sys, n.slot, n.key, n.used)
		}
	}
}

// snapshot captures the regions, which a restarted mm cannot learn from
// the kernel.
func (s *Server) snapshot(sys ipc.Sys) snapshot {
	snap := snapshot{SwapKind: s.store(sys).Kind(), Stats: s.stats}
	for _, task := range sortedTasks(s.spaces) {
		sp := s.spaces[task]
		ss := snapSpace{Task: task, Brk: sp.brk, Count: sp.count}
		for _, r := range sp.regions {
			sr := snapRegion{Start: r.start, End: r.end, Prot: r.prot, Heap: r.heap, Obj: -1,
				File: snapFileOf(r.file), FilePage: r.filePage, NoWrite: r.noWrite}
			if r.obj != nil {
				sr.Obj, sr.ObjPage = int64(r.obj.id), r.objPage
			}
			ss.Regions = append(ss.Regions, sr)
		}
		snap.Spaces = append(snap.Spaces, ss)
	}
	ids := make([]uint64, 0, len(s.shared))
	for id := range s.shared {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		o := s.shared[id]
		so := snapObject{ID: id, NPages: o.npages, Users: o.users, File: snapFileOf(o.file)}
		if o.file == nil {
			so.Perm = &o.perm
		}
		snap.Objects = append(snap.Objects, so)
	}
	return snap
}
