package rs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
)

// died handles a death notice. Only the instances rs counts as live are
// restarted: an instance rs killed on purpose left live before it died.
func (s *Server) died(d ipc.Death) {
	sv, i := s.instanceOf(d.Task)
	if sv == nil {
		return
	}
	in := sv.live[i]
	sv.live = append(sv.live[:i], sv.live[i+1:]...)
	s.fail(sv, in, d.TimeNs, d.Cause, false)
}

// fail schedules the restart of instance in of sv, which died (or was
// killed as hung) at diedNs. LECTURE: backoff
//
// The back-off is BackoffNs << streak, at most BackoffMaxNs; the streak
// counts the deaths in a row of instances that ran less than MinUptimeNs,
// and an instance that ran longer starts it over.
func (s *Server) fail(sv *service, in instance, diedNs int64, cause string, hung bool) {
	p := s.opt.Policy
	if diedNs-in.startNs >= p.MinUptimeNs {
		sv.streak = 0
	}
	sv.pending = append(sv.pending, pending{dueNs: diedNs + s.backoff(sv.streak), diedNs: diedNs, old: in.ep, cause: cause, hung: hung})
	sv.streak++
	sv.cause = cause
	s.announce(sv)
}

// backoff is the wait before a restart after streak quick deaths.
func (s *Server) backoff(streak int) int64 {
	p := s.opt.Policy
	d := p.BackoffNs
	for i := 0; i < streak && d < p.BackoffMaxNs; i++ {
		d *= 2
	}
	return min(d, p.BackoffMaxNs)
}

// restartDue starts every instance whose back-off is over, in
// dependency order.
func (s *Server) restartDue() {
	for _, sv := range s.svcs {
		for len(sv.pending) > 0 && sv.pending[0].dueNs <= s.sys.Now() {
			p := sv.pending[0]
			sv.pending = sv.pending[1:]
			s.restart(sv, p)
		}
	}
}

// restart starts a new instance in place of p.old and logs it. A spawn
// that fails counts as one more quick death.
func (s *Server) restart(sv *service, p pending) ipc.Endpoint {
	ep, err := s.spawn(sv)
	if err != nil {
		now := s.sys.Now()
		s.fail(sv, instance{ep: p.old, startNs: now}, now, "spawn: "+err.Error(), false)
		return 0
	}
	sv.restarts++
	s.announce(sv)
	s.record(rsproto.LogEntry{TimeNs: s.sys.Now(), DiedNs: p.diedNs, Service: sv.Name, Old: p.old, New: ep, Cause: p.cause})
	return ep
}

// record adds e to the restart log: in memory, to OnRestart, and to the
// data store.
func (s *Server) record(e rsproto.LogEntry) {
	if e.Service == rsproto.Name {
		s.rsRestarts++
	}
	s.log = append(s.log, e)
	s.logTotal++
	if len(s.log) > MaxLog {
		s.log = s.log[len(s.log)-MaxLog:]
	}
	defer s.pumpLog()
	if s.opt.OnRestart != nil {
		s.opt.OnRestart(e)
	}
	s.saveLog(e)
}
