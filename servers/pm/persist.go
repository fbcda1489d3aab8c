package pm

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
)

// Keeping the table in the Store. Every change to a process marks its pid
// dirty (touch); at the end of each request, before any effect, flush
// writes the dirty records and the next pid. A restarted pm reads them all
// back on its first request (load), so pids, parents, groups, zombies and
// signal dispositions survive it. What does not survive: the waits that
// were blocked in the old pm (their callers see ECONNRESET and wait
// again; ulib does that), and effects it had queued but not carried out.
//
// A Store that fails leaves the table in memory authoritative: pm goes on,
// and only a restart would lose what was not written.

// Store keys.
const (
	procPrefix = "pm/proc/"
	nextKey    = "pm/next"
)

// touch marks p's record for writing.
func (s *Server) touch(p *proc) { s.dirty[p.Pid] = true }

// flush writes the dirty records: a process still in the table is put,
// one reaped is deleted.
func (s *Server) flush(sys ipc.Sys) {
	if len(s.dirty) == 0 {
		return
	}
	pids := make([]int, 0, len(s.dirty))
	for pid := range s.dirty {
		pids = append(pids, pid)
	}
	slices.Sort(pids)
	clear(s.dirty)
	st := s.opts.Store
	for _, pid := range pids {
		key := procPrefix + strconv.Itoa(pid)
		if p := s.t.get(pid); p != nil {
			b, _ := json.Marshal(p) // a proc always encodes
			_ = st.Put(sys, key, b)
		} else {
			_ = st.Delete(sys, key)
		}
	}
	_ = st.Put(sys, nextKey, []byte(strconv.Itoa(s.t.next)))
}

// load reads the table back from the Store, once: nothing on a fresh
// start, the old table after a restart.
func (s *Server) load(sys ipc.Sys) {
	if s.loaded {
		return
	}
	s.loaded = true
	st := s.opts.Store
	keys, err := st.List(sys, procPrefix)
	if err != nil {
		return
	}
	for _, key := range keys {
		b, err := st.Get(sys, key)
		p := &proc{}
		if err != nil || json.Unmarshal(b, p) != nil || strconv.Itoa(p.Pid) != strings.TrimPrefix(key, procPrefix) {
			continue // a record we cannot read is a process we lose
		}
		s.t.add(p)
	}
	if b, err := st.Get(sys, nextKey); err == nil {
		if n, err := strconv.Atoi(string(b)); err == nil && n >= 1 {
			s.t.next = n
		}
	}
}
