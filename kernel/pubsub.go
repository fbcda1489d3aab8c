package kernel

import (
	"slices"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/sched"
)

// Publish/subscribe on the bus. LECTURE: pubsub
//
// A topic is a name with its subscriptions in the order they were made.
// Publish copies the message into each subscription's queue — a ring of
// the subscription's depth — and returns: fire-and-forget to every current
// subscriber, with no rendezvous. A full queue drops its oldest message
// and counts it (dropped), and the subscriber reads the count with the
// next message it takes: it knows it missed some, never which. A message
// that makes a queue non-empty wakes the subscriber blocked in BusNext,
// or else notifies it (ipc.NotifyBus, or the bits it subscribed with),
// once. A topic exists while it has
// subscribers; a task's subscriptions end with it.
//
// Who may publish: an instance of service S on topic S or S/…, a server
// placed in the kernel on its service's topics, and the kernel itself on
// kernel/… (ipc.TopicExit). Anyone may subscribe, within the limits of
// ipc.MaxSubscriptions and ipc.MaxDepth.
//
// Costs: a publish is the trap, RouteNs to find the topic, and PublishNs
// per subscriber (the 64-byte copy into its queue). A BusNext is the trap.

// pubsub is the kernel's topics.
type pubsub struct {
	topics map[string]*topic
}

// topic is one topic and its subscriptions, oldest first.
type topic struct {
	name string
	subs []*subscription
}

// subscription is one task's queue on one topic.
type subscription struct {
	t       *Task
	topic   *topic
	q       []ipc.Message // ring of cap depth
	head, n int
	dropped int64  // dropped since the last BusNext that took from it
	bits    uint64 // the notification bits that announce a message
}

// checkTopic validates a topic name.
func checkTopic(name string) ipc.Errno {
	if name == "" || len(name) > ipc.MaxTopic || strings.IndexByte(name, 0) >= 0 {
		return ipc.ErrInvalid
	}
	return 0
}

// subscribe subscribes t to the named topic with a queue of depth,
// notified with bits (0: ipc.NotifyBus).
func (k *Kernel) subscribe(t *Task, name string, depth int, bits uint64) ipc.Errno {
	if e := checkTopic(name); e != 0 {
		return e
	}
	if depth == 0 {
		depth = ipc.DefaultDepth
	}
	if depth < 0 || depth > ipc.MaxDepth {
		return ipc.ErrInvalid
	}
	if t.subOf(name) != nil {
		return 0
	}
	if len(t.subs) >= ipc.MaxSubscriptions {
		return linux.ENOSPC
	}
	if k.pubsub.topics == nil {
		k.pubsub.topics = map[string]*topic{}
	}
	tp := k.pubsub.topics[name]
	if tp == nil {
		tp = &topic{name: name}
		k.pubsub.topics[name] = tp
	}
	if bits == 0 {
		bits = ipc.NotifyBus
	}
	s := &subscription{t: t, topic: tp, q: make([]ipc.Message, depth), bits: bits}
	tp.subs = append(tp.subs, s)
	t.subs = append(t.subs, s)
	return 0
}

// subOf returns t's subscription to the named topic, nil if none.
func (t *Task) subOf(name string) *subscription {
	for _, s := range t.subs {
		if s.topic.name == name {
			return s
		}
	}
	return nil
}

// unsubscribe ends subscription s.
func (k *Kernel) unsubscribe(s *subscription) {
	tp, t := s.topic, s.t
	tp.subs = removeSub(tp.subs, s)
	t.subs = removeSub(t.subs, s)
	if len(tp.subs) == 0 {
		delete(k.pubsub.topics, tp.name)
	}
}

func removeSub(l []*subscription, s *subscription) []*subscription {
	for i, x := range l {
		if x == s {
			return append(l[:i], l[i+1:]...)
		}
	}
	return l
}

// mayPublish reports whether t (or, placed in the kernel, service svc)
// may publish on the named topic.
func mayPublish(t *Task, svc *service, name string) bool {
	if name == ipc.TopicKernel || strings.HasPrefix(name, ipc.TopicKernel+"/") {
		return false // the kernel's own, even for a task that registered "kernel"
	}
	owns := func(s *service) bool {
		return name == s.name || strings.HasPrefix(name, s.name+"/")
	}
	if svc != nil {
		return owns(svc)
	}
	for _, s := range t.services {
		if owns(s) {
			return true
		}
	}
	return false
}

// publish copies m, stamped as sent by from, to every subscriber of the
// named topic, charging cpu c.
func (k *Kernel) publish(c *cpu, from ipc.Endpoint, name string, m *ipc.Message) {
	c.charge(k.cfg.Profile.RouteNs)
	tp := k.pubsub.topics[name]
	if tp == nil {
		return
	}
	for range tp.subs {
		c.charge(k.cfg.Profile.PublishNs)
	}
	k.deliverTopic(tp, from, m, c.id, c.now)
}

// deliverTopic queues m, stamped as sent by from, at every subscriber of
// tp at time now, waking or notifying those whose queue was empty.
func (k *Kernel) deliverTopic(tp *topic, from ipc.Endpoint, m *ipc.Message, cpuID int, now int64) {
	msg := *m
	msg.Source, msg.Service = from, 0
	for _, s := range tp.subs {
		k.stats.Messages++
		s.push(&msg)
		if s.n == 1 {
			k.busWake(s.t, s.bits, now)
		}
	}
	if k.trace != nil {
		k.emit(Event{Kind: EvPublish, CPU: cpuID, T: now, Task: from, Type: uint16(m.Type), Svc: tp.name,
			Detail: plural(len(tp.subs), "subscriber")})
	}
}

// push queues m, dropping the oldest message when the queue is full.
func (s *subscription) push(m *ipc.Message) {
	if s.n == len(s.q) {
		s.head = (s.head + 1) % len(s.q)
		s.n--
		s.dropped++
	}
	s.q[(s.head+s.n)%len(s.q)] = *m
	s.n++
}

// next takes t's oldest message of the named topic ("" : of its first
// subscription that has one) into r; false when there is none.
func (t *Task) next(r *ipc.BusRequest) (bool, ipc.Errno) {
	for _, s := range t.subs {
		if r.Topic != "" && s.topic.name != r.Topic || s.n == 0 {
			continue
		}
		r.Msg, r.Topic, r.Dropped = s.q[s.head], s.topic.name, s.dropped
		s.q[s.head] = ipc.Message{}
		s.head = (s.head + 1) % len(s.q)
		s.n--
		s.dropped = 0
		return true, 0
	}
	if r.Topic != "" && t.subOf(r.Topic) == nil {
		return false, ipc.ErrInvalid // not subscribed
	}
	return false, 0
}

// busWake wakes t if it is blocked in Sys.Bus, else notifies it with bits.
func (k *Kernel) busWake(t *Task, bits uint64, now int64) {
	if t.busWait && t.state == stateSleeping {
		t.busWait = false
		k.ready(t, sched.Woken, now)
		return
	}
	k.notify(t, bits, now)
}

// busExit ends dead t's subscriptions and streams.
func (k *Kernel) busExit(t *Task, now int64) {
	for len(t.subs) > 0 {
		k.unsubscribe(t.subs[0])
	}
	k.streamsExit(t, now)
	t.busWait = false
}

// plural renders n things.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

// publishExit publishes dead t's end on ipc.TopicExit: the kernel's own
// work at the death, charged to no task (as the supervisor's notice).
func (k *Kernel) publishExit(t *Task, now int64) {
	tp := k.pubsub.topics[ipc.TopicExit]
	if tp == nil {
		return
	}
	m := ipc.Message{Type: ipc.ExitEvent}
	m.SetWord(0, uint64(t.ep))
	m.SetWord(1, uint64(int64(t.exitCode)))
	if t.cause != "exit" {
		m.SetWord(2, 1)
	}
	k.deliverTopic(tp, ipc.KernelEndpoint, &m, t.cpu, now)
}

// Subscribers returns the number of subscriptions to the named topic.
func (k *Kernel) Subscribers(topic string) int {
	if tp := k.pubsub.topics[topic]; tp != nil {
		return len(tp.subs)
	}
	return 0
}

// TopicInfo is one topic as a listing shows it.
type TopicInfo struct {
	Name        string
	Subscribers int
	Queued      int   // messages waiting in its subscriptions' queues
	Dropped     int64 // messages dropped and not yet reported to a subscriber
}

// Topics lists the topics that have subscribers, sorted by name.
func (k *Kernel) Topics() []TopicInfo {
	out := make([]TopicInfo, 0, len(k.pubsub.topics))
	for _, tp := range k.pubsub.topics {
		ti := TopicInfo{Name: tp.name, Subscribers: len(tp.subs)}
		for _, s := range tp.subs {
			ti.Queued += s.n
			ti.Dropped += s.dropped
		}
		out = append(out, ti)
	}
	slices.SortFunc(out, func(a, b TopicInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}
