//go:build !js

package cluster

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/kernel"
)

// bridge is one node's host-side end of the wire: its NATS connection, its
// subscriptions and the frames on their way into its kernel. It is the
// node's gatewayproto.Link.
type bridge struct {
	node    string
	cluster string
	index   int // the node's kernel in the group
	k       *kernel.Kernel
	nc      *nats.Conn
	subs    []*nats.Subscription
	// exported are the subscriptions of each exported service.
	exported map[string][]*nats.Subscription
	w        *wire // the cluster's, shared by its bridges
	// sent maps the sequence number of each request this node published
	// and has no answer for yet to its virtual send time: a no-responders
	// status carries only the sequence number (in its subject).
	sent map[uint64]int64
	// sentHost is, for a node in its own process, the host-time deadline
	// of each request on the wire (source.awaitLive).
	sentHost  map[uint64]time.Time
	timeoutNs int64
	// delivered are the frames posted into the kernel and not read yet
	// by the gateway; touched in kernel context only.
	delivered []gatewayproto.Delivery
	// down: the node was killed; partitioned: its traffic is dropped
	// both ways. slowNs is extra latency on every frame it receives.
	down, partitioned bool
	slowNs            int64
	// exporters, when set (a cluster in one process), are the nodes that
	// export each service: the bridge picks one in turn (rr) and sends
	// on its Direct subject, for a reproducible run.
	exporters map[string][]string
	rr        map[string]int
	nodes     map[string]bool // the cluster's nodes, in one process
}

// arrival is a message NATS delivered to a bridge, not yet posted.
type arrival struct {
	b       *bridge
	subject string
	inbox   string
	data    []byte
	noResp  bool
	seq     uint64
	atNs    int64 // when it is due in the kernel
	from    string
}

// wire is what a cluster's bridges share: every subscription of every
// node delivers into one channel (NATS's reading goroutine sends to it
// directly), and the count of frames published, against which Settle
// counts what it took from the channel.
type wire struct {
	ch        chan *nats.Msg
	subs      map[*nats.Subscription]*bridge
	published atomic.Int64
	received  int64 // Settle's only
	hopNs     int64
	group     *kernel.Group
	stop      chan struct{} // closed by Stop
	stopOnce  sync.Once
	// kills are nodes killed since the last Settle (faults.go); touched
	// in kernel context and in Settle only.
	kills []*bridge
}

// wireDepth bounds the frames on their way into the kernels; beyond it
// NATS drops them (a slow consumer).
const wireDepth = 1 << 16

func newWire(hopNs int64) *wire {
	return &wire{ch: make(chan *nats.Msg, wireDepth), subs: map[*nats.Subscription]*bridge{}, hopNs: hopNs, stop: make(chan struct{})}
}

// close stops a live source's waiting.
func (w *wire) close() { w.stopOnce.Do(func() { close(w.stop) }) }

// Node is the node's name.
func (b *bridge) Node() string { return b.node }

// subscribe subscribes the node to the requests for exports and to its
// own inbox.
func (b *bridge) subscribe(exports []string) error {
	for _, svc := range exports {
		if err := b.exportSubs(svc); err != nil {
			return err
		}
	}
	for _, subj := range []string{gatewayproto.Inbox(b.cluster, b.node) + ".>", gatewayproto.Direct(b.cluster, b.node, gatewayproto.Adopt)} {
		s, err := b.nc.ChanSubscribe(subj, b.w.ch)
		if err != nil {
			return err
		}
		b.keep(s)
	}
	return b.nc.Flush()
}

// Export makes the node serve svc (gatewayproto.Link): it subscribes to
// its subjects and, in one process, becomes one of svc's exporters.
func (b *bridge) Export(svc string) error {
	if len(b.exported[svc]) == 0 { // a service moved back keeps its subscriptions
		if err := b.exportSubs(svc); err != nil {
			return err
		}
	}
	if b.exporters != nil && !slices.Contains(b.exporters[svc], b.node) {
		b.exporters[svc] = append(b.exporters[svc], b.node)
	}
	return nil
}

// exportSubs subscribes to svc's queue and Direct subjects.
func (b *bridge) exportSubs(svc string) error {
	s, err := b.nc.ChanQueueSubscribe(gatewayproto.Subject(b.cluster, svc), gatewayproto.Queue(b.cluster, svc), b.w.ch)
	if err != nil {
		return err
	}
	b.keep(s)
	if s, err = b.nc.ChanSubscribe(gatewayproto.Direct(b.cluster, b.node, svc), b.w.ch); err != nil {
		return err
	}
	b.keep(s)
	b.exported[svc] = append(b.exported[svc], b.subs[len(b.subs)-2:]...)
	return nil
}

// Unexport stops choosing the node for svc (gatewayproto.Link). In one
// process its subscriptions stay, so that nothing already on its way is
// lost (Settle counts every frame); a frame that still comes is served
// by the gateway as any other. A node in its own process unsubscribes.
func (b *bridge) Unexport(svc string) error {
	if b.exporters != nil {
		b.exporters[svc] = slices.DeleteFunc(b.exporters[svc], func(n string) bool { return n == b.node })
		return nil
	}
	for _, s := range b.exported[svc] {
		_ = s.Unsubscribe()
	}
	delete(b.exported, svc)
	return nil
}

// keep records subscription s as the bridge's.
func (b *bridge) keep(s *nats.Subscription) {
	_ = s.SetPendingLimits(-1, -1)
	b.subs = append(b.subs, s)
	b.w.subs[s] = b
}

// arrival reads a message NATS delivered to one of b's subscriptions.
func (b *bridge) arrival(m *nats.Msg) arrival {
	a := arrival{b: b, subject: m.Subject, inbox: m.Reply, data: m.Data}
	if len(m.Data) == 0 && m.Header.Get("Status") == "503" {
		a.noResp = true
		a.seq, _ = strconv.ParseUint(m.Subject[strings.LastIndexByte(m.Subject, '.')+1:], 10, 64)
	}
	return a
}

// publish sends a frame, counted, unless the node is down or cut off.
func (b *bridge) publish(m *nats.Msg, nowNs int64) error {
	if b.down || b.partitioned {
		return nil // lost on the wire: the caller times out
	}
	w := b.w
	w.published.Add(1)
	if err := b.nc.PublishMsg(m); err != nil {
		w.published.Add(-1)
		return err
	}
	if w.group != nil {
		w.group.Outbound(nowNs)
	}
	return nil
}

// Request publishes a request frame for svc (gatewayproto.Link).
func (b *bridge) Request(svc string, seq uint64, frame []byte, nowNs int64) error {
	inbox := gatewayproto.Inbox(b.cluster, b.node) + "." + strconv.FormatUint(seq, 10)
	m := &nats.Msg{Subject: b.subject(svc), Reply: inbox, Data: append([]byte(nil), frame...)}
	b.sent[seq] = nowNs
	if b.sentHost != nil {
		if len(b.sentHost) == 0 && b.w.group != nil {
			b.w.group.Post(b.index, nowNs+b.w.hopNs, b.beat)
		}
		b.sentHost[seq] = time.Now().Add(time.Duration(b.timeoutNs))
	}
	return b.publish(m, nowNs)
}

// subject is where a request for svc goes: the queue group's subject, or,
// in one process, the Direct subject of the next node exporting it.
func (b *bridge) subject(svc string) string {
	nodes := b.exporters[svc]
	if len(nodes) == 0 {
		return gatewayproto.Subject(b.cluster, svc)
	}
	i := b.rr[svc] % len(nodes)
	b.rr[svc] = i + 1
	return gatewayproto.Direct(b.cluster, nodes[i], svc)
}

// beat ends the kernel's turn every hop while a call of a node in its own
// process is on the wire, so that the source hears the answer before the
// kernel's clock runs on (a turn of a group's only kernel has no other
// bound).
func (b *bridge) beat(now int64) {
	if len(b.sentHost) == 0 {
		return
	}
	b.w.group.Outbound(now)
	b.w.group.Post(b.index, now+b.w.hopNs, b.beat)
}

// RequestTo publishes a request frame for svc to node alone
// (gatewayproto.Link).
func (b *bridge) RequestTo(node, svc string, seq uint64, frame []byte, nowNs int64) error {
	inbox := gatewayproto.Inbox(b.cluster, b.node) + "." + strconv.FormatUint(seq, 10)
	b.sent[seq] = nowNs
	return b.publish(&nats.Msg{Subject: gatewayproto.Direct(b.cluster, node, svc), Reply: inbox, Data: append([]byte(nil), frame...)}, nowNs)
}

// Respond publishes a reply frame (gatewayproto.Link).
func (b *bridge) Respond(inbox string, frame []byte, nowNs int64) error {
	if !b.known(inbox) {
		return nil // a forged inbox: nobody would hear it
	}
	return b.publish(&nats.Msg{Subject: inbox, Data: append([]byte(nil), frame...)}, nowNs)
}

// known reports whether inbox is the inbox of a node of the cluster (in
// one process, of a node that exists): a reply to anything else would be
// lost on the way, and Settle would wait for it.
func (b *bridge) known(inbox string) bool {
	rest, ok := strings.CutPrefix(inbox, gatewayproto.Inbox(b.cluster, ""))
	if !ok {
		return false
	}
	node, _, ok := strings.Cut(rest, ".")
	if !ok || node == "" {
		return false
	}
	return b.nodes == nil || b.nodes[node]
}

// Next returns the oldest delivered frame (gatewayproto.Link).
func (b *bridge) Next() (gatewayproto.Delivery, bool) {
	if len(b.delivered) == 0 {
		return gatewayproto.Delivery{}, false
	}
	d := b.delivered[0]
	b.delivered[0] = gatewayproto.Delivery{}
	b.delivered = b.delivered[1:]
	return d, true
}

// unsubscribe drops the node's subscriptions and waits until the server
// knows.
func (b *bridge) unsubscribe() {
	for _, s := range b.subs {
		_ = s.Unsubscribe()
	}
	b.subs = nil
	if b.nc != nil {
		_ = b.nc.Flush()
	}
}

// close drops the node's subscriptions and connection.
func (b *bridge) close() {
	b.unsubscribe()
	if b.nc != nil {
		b.nc.Close()
	}
}
