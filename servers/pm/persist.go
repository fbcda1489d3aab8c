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
// keeps what it could not write dirty and writes it at its next flush; only
// a restart before then loses it.

// Store keys.
const (
	procPrefix = "pm/proc/"
	nextKey    = "pm/next"
)

// touch marks p's record for writing.
func (s *Server) touch(p *proc) { s.dirty[p.Pid] = true }

// flush writes the dirty records: a process still in the table is put,
// one reaped is deleted. It stops at the first write that fails (a ds
// that is down or hung: the next would fail too, each after its timeout)
// and leaves that record and the rest dirty, for the next flush.
func (s *Server) flush(sys ipc.Sys) {
	if len(s.dirty) == 0 {
		return
	}
	pids := make([]int, 0, len(s.dirty))
	for pid := range s.dirty {
		pids = append(pids, pid)
	}
	slices.Sort(pids)
	st := s.opts.Store
	for _, pid := range pids {
		key := procPrefix + strconv.Itoa(pid)
		var err error
		if p := s.t.get(pid); p != nil {
			b, _ := json.Marshal(p) // a proc always encodes
			err = st.Put(sys, key, b)
		} else {
			err = st.Delete(sys, key)
		}
		if err != nil {
			return
		}
		delete(s.dirty, pid)
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
