package live

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// IPCEvent is one request and its reply, by name: sh → fs.open → reply 0.
type IPCEvent struct {
	Seq  uint64 `json:"seq"`
	T    int64  `json:"t_ns"`
	From string `json:"from"`
	To   string `json:"to"`
	Op   string `json:"op"`
	// Replied: a reply came back, with Errno; Failed: the call failed in
	// the kernel (a dead server, a timeout) with Errno. Neither: in flight,
	// or served in the kernel (no reply event).
	Replied bool   `json:"replied"`
	Failed  bool   `json:"failed"`
	Errno   uint16 `json:"errno"`
	TookNs  int64  `json:"took_ns"`
}

// String renders e as a line: "sh → fs.open → reply 0".
func (e IPCEvent) String() string {
	s := fmt.Sprintf("%s → %s.%s", e.From, e.To, e.Op)
	switch {
	case e.Failed:
		return s + fmt.Sprintf(" → failed %d", e.Errno)
	case e.Replied:
		return s + fmt.Sprintf(" → reply %d", e.Errno)
	}
	return s
}

// LogEntry is a fault, a death, a restart, an injected fault or a control.
type LogEntry struct {
	T      int64  `json:"t_ns"`
	Kind   string `json:"kind"`
	Who    string `json:"who"`
	Detail string `json:"detail"`
}

// String renders l as a line.
func (l LogEntry) String() string {
	return fmt.Sprintf("%s %-8s %s %s", fmtNs(l.T), l.Kind, l.Who, l.Detail)
}

// Event passes e to the inner tracer and keeps what the views show. It
// runs on the engine's goroutine.
func (m *Model) Event(e *kernel.Event) {
	if m.opt.Inner != nil {
		m.opt.Inner.Event(e)
	}
	switch e.Kind {
	case kernel.EvSpawn:
		m.names[e.Task] = e.Name
	case kernel.EvRegister, kernel.EvRestart:
		if e.Peer.IsService() {
			m.svcNames[e.Peer.Service()] = e.Svc
		}
		if e.Kind == kernel.EvRestart {
			who := e.Svc
			if who == "" {
				who = e.Name
			}
			m.note(e.T, "restart", who, m.name(e.Task))
		}
	case kernel.EvCall, kernel.EvSend:
		m.call(e)
	case kernel.EvReply:
		m.reply(e)
	case kernel.EvFail:
		m.fail(e)
	case kernel.EvFault:
		m.note(e.T, "fault", m.name(e.Task), e.Detail)
	case kernel.EvDeath:
		m.death(e)
	case kernel.EvInject:
		m.note(e.T, "inject", e.Svc, e.Detail+" hits "+m.name(e.Task))
	case kernel.EvPanic:
		m.note(e.T, "panic", e.Svc, e.Detail)
	}
}

// name names a task or service endpoint.
func (m *Model) name(ep ipc.Endpoint) string {
	if ep.IsService() {
		if n, ok := m.svcNames[ep.Service()]; ok {
			return n
		}
		return ep.String()
	}
	if ep == ipc.KernelEndpoint {
		return "kernel"
	}
	if n, ok := m.names[ep]; ok {
		return n
	}
	return ep.String()
}

func (m *Model) call(e *kernel.Event) {
	to := m.name(e.Peer)
	m.ipcSeq++
	ev := IPCEvent{Seq: m.ipcSeq, T: e.T, From: m.name(e.Task), To: to, Op: OpName(to, ipc.Type(e.Type))}
	if e.Kind == kernel.EvSend {
		ev.Op = "send:" + ev.Op
	}
	kept := m.ipc.add(ev)
	if e.Kind == kernel.EvCall {
		m.pending[e.Task] = pendingCall{m.ipcSeq, kept}
	}
}

// callOf returns the kept event of caller's call in progress, if kept.
func (m *Model) callOf(caller ipc.Endpoint) *IPCEvent {
	p, ok := m.pending[caller]
	if !ok {
		return nil
	}
	delete(m.pending, caller)
	if p.kept.Seq != p.seq {
		return nil // the ring has reused its place
	}
	return p.kept
}

// pendingCall is a call in progress and where its event is kept.
type pendingCall struct {
	seq  uint64
	kept *IPCEvent
}

func (m *Model) reply(e *kernel.Event) {
	if c := m.callOf(e.Peer); c != nil {
		c.Replied, c.Errno, c.TookNs = true, e.Errno, e.T-c.T
	}
}

func (m *Model) fail(e *kernel.Event) {
	if c := m.callOf(e.Task); c != nil {
		c.Failed, c.Errno, c.TookNs = true, e.Errno, e.T-c.T
	}
}

func (m *Model) death(e *kernel.Event) {
	m.note(e.T, "death", m.name(e.Task), e.Detail)
	delete(m.pending, e.Task)
}

// note adds an entry to the log.
func (m *Model) note(t int64, kind, who, detail string) {
	m.log.add(LogEntry{T: t, Kind: kind, Who: who, Detail: detail})
}

// fmtNs renders virtual time as seconds with microseconds.
func fmtNs(ns int64) string {
	return fmt.Sprintf("%d.%06ds", ns/1e9, ns%1e9/1e3)
}
