package rs

import (
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/mkos/mkos/ipc"
)

// pinger is the state of hang detection. LECTURE: heartbeat
type pinger struct {
	on     bool   // rounds are scheduled
	nextNs int64  // when the next round is due
	last   uint64 // fingerprint of the system at the end of the last round
	rounds int    // rounds since pinging (re)started
	stuck  bool   // the last round ended as the one before it did
}

// update turns the rounds on while the system has work, and off when it
// has none: no program is alive, or every program was blocked in IPC
// through a whole round that changed nothing.
func (p *pinger) update(s *Server) {
	users, progress := s.users()
	switch {
	case len(users) == 0:
		p.on = false
	case !p.on:
		p.on, p.nextNs, p.rounds, p.stuck = true, s.sys.Now()+s.opt.Policy.PingPeriodNs, 0, false
	case p.stuck && !progress:
		p.on = false // more rounds would change nothing until a death or request
	}
}

// users returns the live tasks that are programs — not rs, not an
// instance of a service, not the kernel thread of an in-kernel service —
// and whether one of them can make progress on its own (it runs or will
// wake from a sleep).
func (s *Server) users() ([]TaskInfo, bool) {
	daemon := map[ipc.Endpoint]bool{s.self: true}
	for _, si := range s.opt.Probe.Services() {
		for _, ep := range si.Instances {
			daemon[ep] = true
		}
	}
	for _, sv := range s.svcs {
		for _, in := range sv.live {
			daemon[in.ep] = true // started, maybe not registered yet
		}
	}
	var users []TaskInfo
	progress := false
	for _, t := range s.opt.Probe.Tasks() {
		if daemon[t.Task] || t.Kernel {
			continue
		}
		users = append(users, t)
		switch t.State {
		case "running", "ready", "sleeping":
			progress = true
		}
	}
	return users, progress
}

// fingerprint hashes what a round could change: the programs' states and
// the bus's counters.
func (s *Server) fingerprint(users []TaskInfo) uint64 {
	h := fnv.New64a()
	var sb strings.Builder
	for _, u := range users {
		sb.WriteString(u.Task.String() + u.State + ";")
	}
	var n int64
	for _, si := range s.opt.Probe.Services() {
		n += si.Requests + si.Errors
	}
	sb.WriteString(strconv.FormatInt(n, 10))
	h.Write([]byte(sb.String()))
	return h.Sum64()
}

// pingRound pings every live instance, dependencies first, and kills the
// ones that do not answer in time.
func (s *Server) pingRound() {
	for _, sv := range s.svcs {
		for _, in := range append([]instance(nil), sv.live...) {
			err := s.pingOne(in.ep)
			switch {
			case errors.Is(err, ipc.ErrTimeout):
				s.hung(sv, in)
			case errors.Is(err, ipc.ErrHalted):
				return
			}
		}
	}
	users, _ := s.users()
	fp := s.fingerprint(users)
	s.ping.stuck = s.ping.rounds > 0 && fp == s.ping.last
	s.ping.last = fp
	s.ping.rounds++
	s.ping.nextNs = s.sys.Now() + s.opt.Policy.PingPeriodNs
}

// pingOne pings one instance directly (not through the bus) and waits for
// the answer at most PingTimeoutNs.
func (s *Server) pingOne(ep ipc.Endpoint) error {
	req, rep := ipc.Message{Type: ipc.Ping}, ipc.Message{}
	return s.sys.CallWith(ep, &req, &rep, &ipc.Extra{TimeoutNs: s.opt.Policy.PingTimeoutNs})
}

// hung kills an instance that did not answer and schedules its restart.
func (s *Server) hung(sv *service, in instance) {
	for i, x := range sv.live {
		if x == in {
			sv.live = append(sv.live[:i], sv.live[i+1:]...)
			break
		}
	}
	now := s.sys.Now()
	_ = s.sys.Kill(in.ep)
	cause := "hung: no answer to a ping in " + time.Duration(s.opt.Policy.PingTimeoutNs).String()
	s.fail(sv, in, now, cause, true)
}
