package kernel

import (
	"sort"

	"github.com/mkos/mkos/ipc"
)

// bus is the service bus: services by name and id, each with its live
// instances (tasks) or a handler placed in the kernel, and its counters.
// Clients address services, never tasks, so a restarted or replaced
// instance needs no one to be told. LECTURE: service-bus
type bus struct {
	byName map[string]*service
	byID   []*service // index = ServiceID; 0 unused
	slotNs int64      // the length of a slot of the metrics' window (busmetrics.go)
}

// service is one named service.
type service struct {
	id      ipc.ServiceID
	name    string
	handler ipc.Server // placed in the kernel; nil for user space
	// instances are the live tasks registered for the service, in
	// registration order; rr is where the next search for one starts.
	instances []*Task
	rr        int
	// remotes are the tasks registered as remote instances (a gateway
	// reaching the service on another node; bus_remote.go), rrRemote
	// where the next search for one starts.
	remotes  []*Task
	rrRemote int
	// armed is an injected fault waiting for the next request.
	armed *armed
	// waiting holds requests made while there was no instance.
	waiting queue
	everUp  bool // an instance has registered before
	// hold is a live update's (update.go): while held, the bus routes
	// nothing, and requests wait in waiting.
	hold hold
	// kthread serves notifications (interrupts) of a service placed in
	// the kernel whose server implements ipc.Notified.
	kthread *Task
	// pendingIRQ holds interrupt bits that arrived with no instance; the
	// next instance to register gets them.
	pendingIRQ uint64
	// exits: the service hears of every task's death (exits.go); deaths
	// are the notices not read yet, deathsLost says some were dropped.
	exits      bool
	deaths     []ipc.Death
	deathsLost bool
	// links are the services whose instances call this one directly,
	// bypassing the bus's routing and accounting (hybrid mode).
	links []*service
	// owned: a configured server owns the name (Declare, Place,
	// Restrict); only tasks whose privileges name it may register it.
	// callers, when not nil, are the privilege records that may call it.
	owned   bool
	callers []string
	stats   ServiceStats
	// m is the sliding window of the service's metrics, inst the bus's
	// record of each instance, in registration order (busmetrics.go).
	m      meter
	inst   []*instMeter
	slotNs int64
}

// ServiceStats are a service's counters. Latency is in virtual time, from
// the request's routing to its reply or failure.
type ServiceStats struct {
	Requests    int64
	Errors      int64 // replies with a non-zero errno, and failed requests
	InFlight    int64
	MaxInFlight int64
	Restarts    int64 // instances that registered after the first
	LatencyNs   int64 // sum over finished requests
	// Latency is a histogram: bucket i counts requests that took less
	// than 2^i ns and at least 2^(i-1) ns.
	Latency [40]int64
}

// ServiceInfo describes a service for listings.
type ServiceInfo struct {
	ID        ipc.ServiceID
	Name      string
	InKernel  bool
	Instances []ipc.Endpoint
	// Remotes are the remote instances (gateways) that reach the
	// service on other nodes.
	Remotes []ipc.Endpoint
	Stats   ServiceStats
	// Metrics are the bus's numbers now (busmetrics.go); PerInstance
	// each live instance's, in Instances order.
	Metrics     ipc.BusMetrics
	PerInstance []InstanceMetrics
}

func (b *bus) init(slotNs int64) {
	b.slotNs = slotNs
	b.byName = map[string]*service{}
	b.byID = []*service{nil}
}

// lookupName returns the service named name, creating it if create.
func (b *bus) lookupName(name string, create bool) (*service, ipc.Errno) {
	if s := b.byName[name]; s != nil {
		return s, 0
	}
	if !create {
		return nil, ipc.ErrNoService
	}
	if name == "" || len(b.byID) > 0xffff {
		return nil, ipc.ErrInvalid
	}
	s := &service{id: ipc.ServiceID(len(b.byID)), name: name, slotNs: b.slotNs}
	b.byName[name] = s
	b.byID = append(b.byID, s)
	return s, 0
}

// inKernel returns service id if it is placed in the kernel, else nil.
func (b *bus) inKernel(id ipc.ServiceID) *service {
	if int(id) < len(b.byID) && id != 0 {
		if s := b.byID[id]; s.handler != nil {
			return s
		}
	}
	return nil
}

func (b *bus) get(id ipc.ServiceID) (*service, ipc.Errno) {
	if id == 0 || int(id) >= len(b.byID) {
		return nil, ipc.ErrNoService
	}
	return b.byID[id], 0
}

// pick returns the instance that takes the next request: the first idle one
// (blocked in Receive from anyone) from the round-robin position, else the
// one with the shortest queue, earliest on ties. Deterministic.
func (s *service) pick() *Task {
	if s.hold.held {
		return nil
	}
	return pickOf(s.instances, &s.rr)
}

// pickOf picks among instances from position *rr, as pick says, and
// moves *rr past the one picked.
func pickOf(instances []*Task, rr *int) *Task {
	n := len(instances)
	if n == 0 {
		return nil
	}
	if n == 1 {
		return instances[0]
	}
	var best *Task
	bi := 0
	for i := 0; i < n; i++ {
		j := (*rr + i) % n
		t := instances[j]
		if t.state == stateReceiving && t.recvFrom == ipc.Any {
			best, bi = t, j
			break
		}
		if best == nil || load(t) < load(best) {
			best, bi = t, j
		}
	}
	*rr = (bi + 1) % n
	return best
}

// load is how much work an instance has queued.
func load(t *Task) int { return t.senders.n + t.serving }

// begin counts a request from t entering the bus.
func (s *service) begin(t *Task, now int64) {
	t.callSvc, t.callT0, t.callInst = s, now, nil
	s.count(now)
}

// count counts a request entering the service at now.
func (s *service) count(now int64) {
	s.m.arrive(now, s.slotNs)
	s.stats.Requests++
	s.stats.InFlight++
	s.stats.MaxInFlight = max(s.stats.MaxInFlight, s.stats.InFlight)
}

// end counts t's request finishing with errno e.
func (s *service) end(t *Task, e ipc.Errno, now int64) {
	t.callSvc = nil
	s.instDone(t, e, now-t.callT0, now)
	s.finish(e, now-t.callT0, now)
}

// finish counts a request that took d ns finishing at now with errno e.
func (s *service) finish(e ipc.Errno, d, now int64) {
	s.stats.InFlight--
	if e != 0 {
		s.stats.Errors++
	}
	d = max(d, 0)
	s.stats.LatencyNs += d
	s.stats.Latency[latencyBucket(d)]++
	s.m.finish(e, d, now, s.slotNs)
}

// register makes t an instance of the named service and hands it the
// requests that were waiting for one.
func (k *Kernel) register(t *Task, name string, now int64) (ipc.ServiceID, ipc.Errno) {
	s, e := k.bus.lookupName(name, true)
	if e != 0 {
		return 0, e
	}
	if s.handler != nil {
		return 0, ipc.ErrPerm
	}
	for _, x := range t.services {
		if x == s {
			return s.id, 0
		}
	}
	if s.everUp && len(s.instances) == 0 {
		s.stats.Restarts++
		if k.trace != nil {
			k.emit(Event{Kind: EvRestart, T: now, Task: t.ep, Peer: ipc.ServiceEndpoint(s.id), Svc: s.name})
		}
	}
	s.everUp = true
	s.instances = append(s.instances, t)
	s.inst = append(s.inst, &instMeter{t: t})
	if s.hold.held {
		s.hold.newcomers = append(s.hold.newcomers, t)
	}
	t.services = append(t.services, s)
	if k.trace != nil {
		k.emit(Event{Kind: EvRegister, T: now, Task: t.ep, Peer: ipc.ServiceEndpoint(s.id), Svc: s.name})
	}
	k.flush(s, now)
	if s.pendingIRQ != 0 {
		bits := s.pendingIRQ
		s.pendingIRQ = 0
		k.notify(t, bits, now)
	}
	return s.id, 0
}

// unregister removes dead t from the services it served.
func (k *Kernel) unregister(t *Task) {
	for _, s := range t.services {
		for i, x := range s.instances {
			if x == t {
				s.instances = append(s.instances[:i], s.instances[i+1:]...)
				break
			}
		}
		s.dropInst(t)
		if s.rr >= len(s.instances) {
			s.rr = 0
		}
	}
	t.services = nil
	k.unregisterRemote(t)
}

// Place puts srv in the kernel under name: requests to the service run
// srv.Handle inside the caller's trap, with no context switch.
func (k *Kernel) Place(name string, srv ipc.Server) (ipc.ServiceID, error) {
	s, e := k.bus.lookupName(name, true)
	if e != 0 {
		return 0, e
	}
	if len(s.instances) > 0 || s.handler != nil {
		return 0, ipc.ErrPerm
	}
	s.handler = srv
	s.everUp = true
	s.owned = true
	if k.trace != nil {
		k.emit(Event{Kind: EvRegister, T: k.Now(), Peer: ipc.ServiceEndpoint(s.id), Svc: name, Detail: "in kernel"})
	}
	_, notified := srv.(ipc.Notified)
	if _, ok := srv.(ipc.ExitWatcher); ok {
		k.watch(s)
		notified = true
	}
	if notified {
		t, e := k.spawn(nil, ipc.TaskSpec{Name: "k:" + name, Body: k.kthreadBody(s, srv)}, k.Now())
		if e != 0 {
			return 0, e
		}
		s.kthread = t
		t.kthread = true
	}
	return s.id, nil
}

// Lookup returns the id of the named service.
func (k *Kernel) Lookup(name string) (ipc.ServiceID, error) {
	s, e := k.bus.lookupName(name, false)
	if e != 0 {
		return 0, e
	}
	return s.id, nil
}

// Services lists the services sorted by name.
func (k *Kernel) Services() []ServiceInfo {
	var out []ServiceInfo
	now := k.Now()
	for _, s := range k.bus.byID[1:] {
		si := ServiceInfo{ID: s.id, Name: s.name, InKernel: s.handler != nil, Stats: s.stats}
		si.Metrics, si.PerInstance = s.metrics(now)
		for _, t := range s.instances {
			si.Instances = append(si.Instances, t.ep)
		}
		for _, t := range s.remotes {
			si.Remotes = append(si.Remotes, t.ep)
		}
		out = append(out, si)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// MeanLatencyNs returns the mean latency of finished requests.
func (s *ServiceStats) MeanLatencyNs() int64 {
	done := s.Requests - s.InFlight
	if done <= 0 {
		return 0
	}
	return s.LatencyNs / done
}

// Link makes calls from instances of service from to service to bypass the
// bus: no routing charge and no per-service accounting, as a direct channel
// between two user-space servers would. Both services are created if needed.
func (k *Kernel) Link(from, to string) error {
	f, e := k.bus.lookupName(from, true)
	if e != 0 {
		return e
	}
	t, e := k.bus.lookupName(to, true)
	if e != 0 {
		return e
	}
	t.links = append(t.links, f)
	return nil
}

// linked reports whether caller t reaches svc over a direct link.
func (s *service) linked(t *Task) bool {
	for _, l := range s.links {
		for _, x := range t.services {
			if x == l {
				return true
			}
		}
	}
	return false
}

// Declare creates the named service with no instance yet, so that clients
// can look it up at once; their requests wait (bounded) for an instance.
//
// A declared name is owned by the server configured under it: only a task
// whose privilege record names it may register it (priv.go).
func (k *Kernel) Declare(name string) (ipc.ServiceID, error) {
	s, e := k.bus.lookupName(name, true)
	if e != 0 {
		return 0, e
	}
	s.owned = true
	return s.id, nil
}
