package fs

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Live update (ipc.Stateful): what a file server hands to its successor.
// The file system itself is on the disk, which outlives both; State
// commits what is pending, so the disk holds every change, and hands
// over what lives only in memory: each process's descriptors (file,
// flags, offset), the clean blocks of the cache in LRU order, and the
// deaths not yet processed. The successor mounts on its first request as
// a continuation (Options.Resume): the same epoch, so the descriptors
// stay valid, no check and no orphan freed (open files hold the
// unlinked inodes), and its cache starts warm.

// stateVersion is the layout of fsState.
const stateVersion = 1

// fsState is the state that moves, as JSON but for the blocks' contents
// (ipc.PackState).
type fsState struct {
	Mounted bool
	Procs   []procFiles   // by endpoint
	Blocks  []cachedBlock // most recently used first
	Dead    []ipc.Endpoint
	Queued  int64
}

type procFiles struct {
	P     ipc.Endpoint
	Files []openFile // by descriptor number
}

type openFile struct {
	FD    int
	Ino   uint32
	Flags int
	Off   int64
}

type cachedBlock struct {
	No   uint32
	Data []byte `json:"-"` // after the JSON, raw (ipc.PackState)
}

// State commits the file system and returns its open files and cache.
func (s *Server) State() (int, []byte, error) {
	st := fsState{Dead: s.dead, Queued: s.queued}
	if len(s.queue) > 0 {
		return 0, nil, fmt.Errorf("fs: %d requests queued: not quiescent", len(s.queue))
	}
	if f := s.fs; f != nil && f.Failed() == nil {
		if err := f.Sync(); err != nil {
			return 0, nil, err
		}
		st.Mounted = true
		st.Procs = f.openFiles()
		for e := f.c.lru.Front(); e != nil; e = e.Next() {
			b := e.Value.(*buf)
			st.Blocks = append(st.Blocks, cachedBlock{No: b.no, Data: b.data})
		}
	}
	out, err := encodeState(&st)
	return stateVersion, out, err
}

// encodeState packs st: the JSON, then the cached blocks' contents.
func encodeState(st *fsState) ([]byte, error) {
	blobs := make([][]byte, len(st.Blocks))
	for i, b := range st.Blocks {
		blobs[i] = b.Data
	}
	return ipc.PackState(st, blobs)
}

// decodeState reads what encodeState wrote.
func decodeState(data []byte) (*fsState, error) {
	var st fsState
	blobs, err := ipc.UnpackState(data, &st)
	if err != nil {
		return nil, fmt.Errorf("fs: %w", err)
	}
	if len(blobs) != len(st.Blocks) {
		return nil, fmt.Errorf("fs: state: %d blocks' contents for %d blocks", len(blobs), len(st.Blocks))
	}
	for i, b := range blobs {
		if len(b) != layout.BlockSize {
			return nil, fmt.Errorf("fs: state: block %d of %d bytes", st.Blocks[i].No, len(b))
		}
		st.Blocks[i].Data = b
	}
	return &st, nil
}

// Restore keeps the predecessor's state for the mount at the first
// request.
func (s *Server) Restore(version int, data []byte) error {
	if version != stateVersion {
		return fmt.Errorf("fs: state v%d, this code reads v%d", version, stateVersion)
	}
	st, err := decodeState(data)
	if err != nil {
		return err
	}
	s.dead, s.queued = st.Dead, st.Queued
	if st.Mounted {
		s.resume = st
	}
	return nil
}

// openFiles lists every process's descriptors, in endpoint and number
// order.
func (f *FS) openFiles() []procFiles {
	var out []procFiles
	for _, p := range f.Clients() {
		pf := procFiles{P: p}
		for n, fl := range f.procs[p].files {
			pf.Files = append(pf.Files, openFile{FD: n, Ino: fl.ino, Flags: fl.flags, Off: fl.off})
		}
		slices.SortFunc(pf.Files, func(a, b openFile) int { return a.FD - b.FD })
		out = append(out, pf)
	}
	return out
}

// adopt installs a predecessor's open files and cache into a file system
// just mounted with Resume.
func (f *FS) adopt(st *fsState) {
	for _, pf := range st.Procs {
		t := &fdtable{files: map[int]*file{}}
		for _, o := range pf.Files {
			t.files[o.FD] = &file{ino: o.Ino, flags: o.Flags, off: o.Off}
			f.opens[o.Ino]++
			f.nfiles++
		}
		f.procs[pf.P] = t
	}
	for i := len(st.Blocks) - 1; i >= 0; i-- { // least recent first: the front ends most recent
		b := st.Blocks[i]
		if f.c.bufs[b.No] == nil {
			f.c.insert(b.No, b.Data)
		}
	}
	f.c.trim()
}

var _ ipc.Stateful = (*Server)(nil)
