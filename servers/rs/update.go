package rs

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Live update (LECTURE: live-update), MINIX 3's: each instance of a
// service is replaced by a new one that takes over its state, while the
// bus holds the service's requests, so no caller sees an error. For one
// instance old:
//
//  1. Hold: the bus queues the service's new requests (Sys.Update).
//  2. Quiesce and read out: rs asks old for its state (ipc.StateGet, a
//     chunk at a time). The request queues behind every request old had
//     received, so old answers it at a quiescent point: nothing half
//     done but what it parked, which is in its state. A server that is
//     not ipc.Stateful answers ENOSYS: rs ends the hold and restarts the
//     service with the new code instead, and says so.
//  3. Start the new instance (the service's task spec: same privileges,
//     same placement) and hand it the state (ipc.StatePut); it calls
//     Restore before it serves anything.
//  4. Trial: rs waits Policy.UpdateTrialNs and pings the new instance.
//  5. Commit: the bus moves old's parked callers and queued requests to
//     the new instance, then the held ones; rs kills old.
//
// If the new instance does not start, refuses the state, or does not
// answer after the trial, rs rolls back: it ends the hold without a
// switch (the held requests go to old, whose state never changed) and
// kills the new instance. Every update, rolled back or not, is in the
// log.

// update serves Update: a live update of every live instance of sv to
// implementation implName ("": its own), one instance at a time.
func (s *Server) update(sv *service, implName, by string) (rsproto.UpdateResult, ipc.Errno) {
	if implName == "" {
		implName = sv.impl
	}
	impl, ok := s.opt.Impls[implName]
	switch {
	case !ok:
		return rsproto.UpdateResult{}, linux.ENOENT
	case impl.Protocol != s.protocol(sv):
		return rsproto.UpdateResult{}, linux.EINVAL
	case sv.stopped || len(sv.live) == 0:
		return rsproto.UpdateResult{}, linux.EAGAIN
	}
	var first rsproto.UpdateResult
	for i := range sv.live {
		r, e := s.updateOne(sv, i, implName, impl, by)
		if i == 0 || e != 0 || r.How != rsproto.Moved {
			first.Old, first.New = r.Old, r.New
		}
		first.How, first.Version, first.Bytes = r.How, r.Version, first.Bytes+r.Bytes
		if e != 0 || r.How != rsproto.Moved {
			return first, e
		}
	}
	sv.impl = implName
	s.saveService(sv)
	return first, 0
}

// updateOne replaces sv.live[i] by a new instance running impl.
func (s *Server) updateOne(sv *service, i int, implName string, impl Impl, by string) (rsproto.UpdateResult, ipc.Errno) {
	old := sv.live[i]
	res := rsproto.UpdateResult{Old: old.ep}
	heldNs := s.sys.Now()
	if err := s.sys.Update(sv.Name, ipc.UpdateHold, old.ep, 0); err != nil {
		return res, linux.EAGAIN
	}
	ver, data, err := s.getState(old.ep)
	if ipc.ErrnoOf(err) == linux.ENOSYS {
		_ = s.sys.Update(sv.Name, ipc.UpdateAbort, old.ep, 0)
		sv.impl = implName
		res.Old, res.New, _ = s.respawn(sv, "updated to "+implName+" by restart ("+sv.Name+" hands over no state)"+by)
		res.How = rsproto.Restarted
		return res, 0
	}
	if err != nil {
		return s.rollback(sv, old.ep, 0, heldNs, implName, "the old instance gave no state: "+err.Error()+by), 0
	}
	res.Version, res.Bytes = ver, int64(len(data))
	ep, err := s.sys.Spawn(Spec(sv.Service, impl))
	if err != nil {
		return s.rollback(sv, old.ep, 0, heldNs, implName, "the new instance did not start: "+err.Error()+by), 0
	}
	if err := s.putState(ep, ver, data); err != nil {
		return s.rollback(sv, old.ep, ep, heldNs, implName, "the new instance refused the state: "+err.Error()+by), 0
	}
	if s.opt.Policy.UpdateTrialNs > 0 {
		_ = s.sys.Sleep(s.opt.Policy.UpdateTrialNs)
	}
	if err := s.pingOne(ep); err != nil {
		return s.rollback(sv, old.ep, ep, heldNs, implName, "the new instance died in its trial: "+err.Error()+by), 0
	}
	if err := s.sys.Update(sv.Name, ipc.UpdateCommit, old.ep, ep); err != nil {
		return s.rollback(sv, old.ep, ep, heldNs, implName, "the bus refused the switch: "+err.Error()+by), 0
	}
	sv.live[i] = instance{ep: ep, startNs: s.sys.Now()}
	_ = s.sys.Kill(old.ep) // no longer live: its death restarts nothing
	res.New, res.How = ep, rsproto.Moved
	s.record(rsproto.LogEntry{TimeNs: s.sys.Now(), DiedNs: heldNs, Service: sv.Name, Old: old.ep, New: ep,
		Cause: fmt.Sprintf("updated to %s (state v%d, %d bytes)%s", implName, ver, len(data), by)})
	return res, 0
}

// rollback ends a failed update of instance old: the bus routes the held
// requests to old again, new (if any) is killed, and the log says why.
func (s *Server) rollback(sv *service, old, new ipc.Endpoint, heldNs int64, implName, why string) rsproto.UpdateResult {
	_ = s.sys.Update(sv.Name, ipc.UpdateAbort, old, new)
	if new != 0 {
		_ = s.sys.Kill(new)
	}
	s.record(rsproto.LogEntry{TimeNs: s.sys.Now(), DiedNs: heldNs, Service: sv.Name, Old: new, New: old,
		Cause: "update to " + implName + " rolled back: " + why})
	return rsproto.UpdateResult{Old: old, New: old, How: rsproto.RolledBack}
}

// getState reads instance ep's state, a chunk at a time, each call
// bounded by the ping timeout.
func (s *Server) getState(ep ipc.Endpoint) (int, []byte, error) {
	buf := make([]byte, ipc.MaxBulk)
	var data []byte
	ver := 0
	for {
		req, rep := ipc.Message{Type: ipc.StateGet}, ipc.Message{}
		req.SetWord(0, uint64(len(data)))
		err := s.sys.CallWith(ep, &req, &rep, &ipc.Extra{Recv: buf, TimeoutNs: s.opt.Policy.PingTimeoutNs})
		if err == nil && rep.Errno != 0 {
			err = ipc.Errno(rep.Errno)
		}
		if err != nil {
			return 0, nil, err
		}
		total, n := rep.Word(1), rep.Word(2)
		if total > ipc.MaxState || n > uint64(len(buf)) || uint64(len(data))+n > total || n == 0 && uint64(len(data)) < total {
			return 0, nil, ipc.ErrBadReply
		}
		ver = int(rep.Word(0))
		data = append(data, buf[:n]...)
		if uint64(len(data)) == total {
			return ver, data, nil
		}
	}
}

// putState hands data to new instance ep, a chunk at a time.
func (s *Server) putState(ep ipc.Endpoint, ver int, data []byte) error {
	for off := 0; off == 0 || off < len(data); {
		n := min(len(data)-off, ipc.MaxBulk)
		req, rep := ipc.Message{Type: ipc.StatePut}, ipc.Message{}
		req.SetWord(0, uint64(ver))
		req.SetWord(1, uint64(len(data)))
		req.SetWord(2, uint64(off))
		err := s.sys.CallWith(ep, &req, &rep, &ipc.Extra{Send: data[off : off+n], TimeoutNs: s.opt.Policy.PingTimeoutNs})
		if err == nil && rep.Errno != 0 {
			err = ipc.Errno(rep.Errno)
			if why := rep.Bytes(); len(why) > 0 {
				err = fmt.Errorf("%s (%w)", why, err)
			}
		}
		if err != nil {
			return err
		}
		if off += n; n == 0 {
			return nil
		}
	}
	return nil
}
