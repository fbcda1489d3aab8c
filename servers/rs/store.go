package rs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/rsproto"
)

// What rs keeps in the data store, so that a restarted rs knows it:
//
//	rs/log/NNNNNNNNNNNNNNNN   a restart (an rsproto.LogEntry record), by sequence number
//	rs/svc/NAME               a service's implementation and stop mark (an rsproto.Status record)
//
// Every access is best effort: one attempt, with the ping timeout, and
// only when a ds service exists. A store that is down costs rs at most a
// timeout, never its work.
const (
	logPrefix = "rs/log/"
	svcPrefix = "rs/svc/"
)

// store is rs's data store client.
type store struct {
	c *dsproto.Client
}

// timeoutSys bounds every call it makes with a timeout.
type timeoutSys struct {
	ipc.Sys
	ns int64
}

func (t timeoutSys) Call(dst ipc.Endpoint, req, rep *ipc.Message) error {
	return t.CallWith(dst, req, rep, &ipc.Extra{})
}

func (t timeoutSys) CallWith(dst ipc.Endpoint, req, rep *ipc.Message, x *ipc.Extra) error {
	y := *x
	y.TimeoutNs = t.ns
	return t.Sys.CallWith(dst, req, rep, &y)
}

// ds returns the data store client, or nil when there is no ds service.
func (s *Server) ds() *store {
	if sv := s.byName[dsproto.Name]; sv != nil && len(sv.live) == 0 {
		return nil // stopped or restarting: a call would only wait
	}
	if s.store == nil {
		id, err := s.sys.Lookup(dsproto.Name)
		if err != nil {
			return nil
		}
		s.store = &store{c: &dsproto.Client{Sys: timeoutSys{s.sys, s.opt.Policy.PingTimeoutNs}, Dst: ipc.ServiceEndpoint(id), Attempts: 1}}
	}
	return s.store
}

// saveLog writes a log entry.
func (s *Server) saveLog(e rsproto.LogEntry) {
	key := fmt.Sprintf("%s%016d", logPrefix, s.logSeq)
	s.logSeq++
	if st := s.ds(); st != nil {
		_ = st.c.Put(key, rsproto.AppendLogEntry(nil, e))
		if s.logSeq > MaxLog {
			_ = st.c.Delete(fmt.Sprintf("%s%016d", logPrefix, s.logSeq-MaxLog-1))
		}
	}
}

// saveService writes sv's implementation and stop mark.
func (s *Server) saveService(sv *service) {
	s.announce(sv)
	if st := s.ds(); st != nil {
		rec := rsproto.Status{Name: sv.Name, Impl: sv.impl, State: rsproto.Up, Want: sv.Instances}
		if sv.stopped {
			rec.State = rsproto.Stopped
		}
		_ = st.c.Put(svcPrefix+sv.Name, rsproto.AppendStatus(nil, rec))
	}
}

// load reads back what an earlier rs wrote.
func (s *Server) load() {
	st := s.ds()
	if st == nil {
		return
	}
	keys, _ := st.c.List(svcPrefix)
	for _, k := range keys {
		sv := s.byName[strings.TrimPrefix(k, svcPrefix)]
		v, err := st.c.Get(k)
		if sv == nil || err != nil {
			continue
		}
		if rec, _, err := rsproto.ParseStatus(v); err == nil {
			if _, ok := s.opt.Impls[rec.Impl]; ok {
				sv.impl = rec.Impl
			}
			sv.stopped = rec.State == rsproto.Stopped
			if rec.Want > 0 {
				sv.Instances = rec.Want // as Scale left it
			}
		}
	}
	keys, _ = st.c.List(logPrefix)
	for _, k := range keys {
		seq, err := strconv.ParseInt(strings.TrimPrefix(k, logPrefix), 10, 64)
		v, err2 := st.c.Get(k)
		if err != nil || err2 != nil {
			continue
		}
		e, _, err := rsproto.ParseLogEntry(v)
		if err != nil {
			continue
		}
		s.logSeq = max(s.logSeq, seq+1)
		s.log = append(s.log, e)
		if sv := s.byName[e.Service]; sv != nil {
			sv.restarts++
		} else if e.Service == rsproto.Name {
			s.rsRestarts++
		}
	}
	s.logTotal = int64(len(s.log))
	if len(s.log) > MaxLog {
		s.log = s.log[len(s.log)-MaxLog:]
	}
}
