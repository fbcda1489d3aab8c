package gatewayproto

import "strings"

// Name is the gateway's service name on every node.
const Name = "gateway"

// NotifyFrames is the notification bit the node posts to the gateway
// when frames have been delivered into its kernel: read them with
// Link.Next.
const NotifyFrames uint64 = 1 << 0

// Subject is the NATS subject on which requests for service svc travel in
// cluster: every node that exports svc subscribes to it in one queue
// group (Queue), so each request reaches one of them.
func Subject(cluster, svc string) string { return "mkos." + cluster + ".svc." + svc }

// Direct is the subject on which requests for service svc travel to node
// alone: a cluster run in one process picks the node itself (round robin
// over the nodes exporting svc), since NATS picks a queue group's member
// at random and the run would not be reproducible.
func Direct(cluster, node, svc string) string {
	return "mkos." + cluster + ".node." + node + ".svc." + svc
}

// Queue is the queue group of the nodes exporting svc.
func Queue(cluster, svc string) string { return "mkos." + cluster + ".q." + svc }

// Inbox is the prefix of node's reply subjects: a request's reply goes to
// Inbox(…) + "." + its sequence number.
func Inbox(cluster, node string) string { return "mkos." + cluster + ".r." + node }

// ValidName reports whether s may name a cluster, a node or a service on
// the wire: 1 to MaxName bytes, no dots, spaces, wildcards or control
// characters (NATS subjects are dot-separated tokens).
func ValidName(s string) bool {
	if s == "" || len(s) > MaxName {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == '.' || r == '*' || r == '>' || r == 0x7f
	})
}

// Link is the gateway server's handle on its node's host-side connection
// (the NATS connection belongs to the node, not to the server, so a
// restarted gateway finds it again). Its methods never block on the host:
// the gateway task runs in the kernel's virtual time, one coroutine at a
// time.
type Link interface {
	// Node is this node's name.
	Node() string
	// Request publishes a Request frame for service svc, sent at virtual
	// time nowNs; its Reply (or a delivery with NoResponders) comes back
	// through Next. seq is the frame's sequence number.
	Request(svc string, seq uint64, frame []byte, nowNs int64) error
	// Respond publishes a Reply frame to the inbox a request came with.
	Respond(inbox string, frame []byte, nowNs int64) error
	// Next returns the oldest frame delivered into this node's kernel and
	// not read yet.
	Next() (Delivery, bool)
}

// Delivery is one frame delivered to a node.
type Delivery struct {
	// Frame is the frame (nil with NoResponders).
	Frame []byte
	// Inbox is where a Request's reply goes.
	Inbox string
	// NoResponders says no node exports the service a request of ours
	// named: Seq is that request's.
	NoResponders bool
	Seq          uint64
}
