package boot

import (
	"github.com/mkos/mkos/ipc"
)

// Restart is one line of the supervisor's restart log.
type Restart struct {
	Server string
	Old    ipc.Endpoint
	New    ipc.Endpoint
	Cause  string
	TimeNs int64
}

// supervisor is the minimal stand-in for the reincarnation server: it is
// told of every death by the kernel and restarts dead server instances
// after a back-off that doubles with each restart of the same server.
type supervisor struct {
	sys      *System
	servers  map[ipc.Endpoint]string // live instance → server name
	restarts map[string]int          // server name → restarts so far
}

// baseBackoffNs is the wait before the first restart of a server.
const baseBackoffNs = 100_000

// maxBackoffNs caps the back-off.
const maxBackoffNs = 100_000_000

// body is the supervisor task.
func (s *supervisor) body(sys ipc.Sys) {
	if err := sys.Supervise(); err != nil {
		return
	}
	var m ipc.Message
	for sys.Receive(ipc.KernelEndpoint, &m) == nil {
		for d, ok := sys.NextDeath(); ok; d, ok = sys.NextDeath() {
			s.handle(sys, d)
		}
	}
}

// handle restarts the server whose instance died.
func (s *supervisor) handle(sys ipc.Sys, d ipc.Death) {
	name, ok := s.servers[d.Task]
	if !ok {
		return
	}
	delete(s.servers, d.Task)
	n := s.restarts[name]
	s.restarts[name] = n + 1
	sys.Sleep(min(int64(baseBackoffNs)<<min(n, 20), maxBackoffNs))
	ep, err := sys.Spawn(s.sys.instanceSpec(name))
	if err != nil {
		return
	}
	s.servers[ep] = name
	s.sys.Restarts = append(s.sys.Restarts, Restart{Server: name, Old: d.Task, New: ep, Cause: d.Cause, TimeNs: sys.Now()})
}
