package gatewayproto

import (
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Name is the gateway's service name on every node.
const Name = "gateway"

// Requests of the gateway service itself.
const (
	// Move moves a service running on this node to another node (svc
	// move NAME NODE; root only): the payload's bytes are NAME, a NUL,
	// NODE. The service's state moves with it when its server is
	// ipc.Stateful (docs/cluster.md).
	Move ipc.Type = iota + 1
)

// Adopt is the reserved service name of a move's request to the target
// node: the request's payload bytes name the service, its send window is
// the state's version (8 bytes, little-endian; -1 for none) and the
// state.
const Adopt = "@adopt"

// MoveRequest returns the Move request of service name to node.
func MoveRequest(name, node string) (ipc.Message, bool) {
	m := ipc.Message{Type: Move}
	return m, ValidName(name) && ValidName(node) && m.SetBytes([]byte(name+"\x00"+node))
}

// ParseMove reads a Move request.
func ParseMove(m *ipc.Message) (name, node string, ok bool) {
	name, node, ok = strings.Cut(string(m.Bytes()), "\x00")
	return name, node, ok && ValidName(name) && ValidName(node)
}

// Errnos are the errnos the gateway answers its own requests with (a
// forwarded call answers with its service's): EPERM (not root), EINVAL
// (a bad name), ENOENT (not running here), ENOSYS, and what the move's
// steps failed with.
var Errnos = ipc.Errnos{linux.EPERM, linux.EINVAL, linux.ENOENT, linux.ENOSYS, linux.EBUSY}

// MoveTo asks the gateway at dst to move service name to node.
func MoveTo(sys ipc.Sys, dst ipc.Endpoint, name, node string) error {
	req, ok := MoveRequest(name, node)
	if !ok {
		return linux.EINVAL
	}
	_, err := ipc.Do(sys, dst, &req, nil, Errnos)
	return err
}

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
	// RequestTo publishes a Request frame for service svc on node alone
	// (Direct): a move's adoption.
	RequestTo(node, svc string, seq uint64, frame []byte, nowNs int64) error
	// Export makes the node serve svc to the others from now on;
	// Unexport stops choosing it for svc (a move away).
	Export(svc string) error
	Unexport(svc string) error
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
