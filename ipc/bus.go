package ipc

import "github.com/mkos/mkos/ipc/linux"

// The bus's interaction models beyond request/response (Call) and
// fire-and-forget (Send, Notify): publish/subscribe and request/stream,
// both through one system call, Sys.Bus, as the memory manager's
// operations go through Sys.VM. The helpers below are the typed way in.
//
// Publish/subscribe. A topic is a name; Publish copies a message to every
// current subscriber of the topic, and returns without waiting for any.
// Each subscription is a bounded queue (Depth messages): when it is full
// the oldest message is dropped and the subscription's Dropped counter
// grows, which the subscriber reads with its next message. A message
// arriving at an empty queue notifies the subscriber with NotifyBus;
// BusNext with Wait blocks instead. Subscriptions die with their task.
// Only an instance of service S may publish on topic S or S/anything (the
// kernel publishes on kernel/…): a subscriber knows who speaks on a topic.
//
// Request/stream. The client opens a stream with some credit, then makes
// an ordinary Call to a service carrying the stream's id; the server
// instance that receives it accepts the stream (only the server serving
// the client's Call may) and replies. From then on the server emits
// frames, one credit each (EAGAIN when it has none: it waits for
// NotifyBus, or blocks with Wait); the client receives them in order and
// grants more credit (StreamGrant, RSocket's request(n)). The server ends
// the stream with an end frame (Errno 0) or an error frame; either side
// may cancel it (ECANCELED at the other side). A client's death cancels
// its streams; a server's death ends them with ErrServiceDied.

// BusOp is an operation of Sys.Bus.
type BusOp uint8

// Bus operations.
const (
	// BusSubscribe subscribes the caller to Topic with a queue of Depth
	// messages (0: DefaultDepth; at most MaxDepth), announced with the
	// notification Bits (0: NotifyBus). Subscribing again changes nothing.
	BusSubscribe BusOp = iota + 1
	// BusUnsubscribe drops the caller's subscription to Topic and what it
	// holds.
	BusUnsubscribe
	// BusPublish copies Msg to every subscriber of Topic: Msg.Source is
	// stamped with the publisher. EPERM unless the caller may publish on
	// Topic.
	BusPublish
	// BusNext takes the oldest message of the caller's subscription to
	// Topic ("" : the first of its subscriptions that has one) into Msg,
	// with Topic set and Dropped the messages dropped before it since the
	// last BusNext. EAGAIN when there is none, unless Wait: then it blocks
	// until one arrives (TimeoutNs bounds the wait, ETIMEDOUT).
	BusNext
	// StreamOpen makes a stream with the caller as its client and
	// Credits frames of credit; Stream is its id.
	StreamOpen
	// StreamAccept makes the caller the server of Stream: only a task
	// serving a Call from the stream's client may (EPERM otherwise).
	StreamAccept
	// StreamGrant gives the server Credits more frames (client only).
	StreamGrant
	// StreamEmit sends Msg as a frame (server only), using one credit:
	// EAGAIN with no credit left, unless Wait: then it blocks until the
	// client grants some. ECANCELED once the client cancelled.
	StreamEmit
	// StreamEnd ends the stream (server only): with Errno 0 an end frame,
	// otherwise an error frame carrying Errno. It needs no credit.
	StreamEnd
	// StreamCancel cancels the stream, from either side; the stream's
	// frames not yet received are dropped.
	StreamCancel
	// StreamRecv takes the next frame into Msg (client only). At the end
	// frame or error frame End is set and Errno is the server's (the
	// stream is then closed). ECANCELED when the server cancelled. EAGAIN
	// when no frame is there, unless Wait (TimeoutNs as for BusNext).
	StreamRecv
)

// Limits of the bus's models: put a limit on everything.
const (
	// MaxTopic bounds a topic's name, in bytes.
	MaxTopic = 32
	// DefaultDepth and MaxDepth are a subscription's queue bound.
	DefaultDepth = 16
	MaxDepth     = 256
	// MaxSubscriptions bounds one task's subscriptions.
	MaxSubscriptions = 16
	// MaxStreams bounds the open streams of one task, as client or server.
	MaxStreams = 64
	// MaxCredits bounds a stream's credit.
	MaxCredits = 1 << 20
)

// StreamID names a stream: a slot and a generation, as an Endpoint, so a
// stale id fails (EBADF) instead of reaching a newer stream.
type StreamID uint64

// BusRequest is the argument and result of Sys.Bus.
type BusRequest struct {
	Op BusOp
	// Topic: BusSubscribe, BusUnsubscribe, BusPublish, BusNext.
	Topic string
	// Depth and Bits: BusSubscribe.
	Depth int
	Bits  uint64
	// Stream: the Stream operations (set by StreamOpen).
	Stream StreamID
	// Credits: StreamOpen, StreamGrant.
	Credits int
	// Errno: StreamEnd's (0: an end frame); StreamRecv's result at End.
	Errno Errno
	// Wait makes BusNext, StreamRecv and StreamEmit block; TimeoutNs,
	// when positive, bounds the wait.
	Wait      bool
	TimeoutNs int64
	// Msg: what BusPublish and StreamEmit send, what BusNext and
	// StreamRecv receive.
	Msg Message
	// Dropped: BusNext's count of messages dropped before this one.
	Dropped int64
	// End: StreamRecv took the end or error frame.
	End bool
}

// NotifyBus is the notification bit the kernel sets at a subscriber when a
// message arrives at its empty queue (unless it subscribed with other
// Bits), at a stream's client when a frame
// arrives or the server cancels, and at a stream's server when the client
// grants credit or cancels.
const NotifyBus uint64 = 1 << 62

// The kernel's topics: only the kernel publishes on TopicKernel and the
// topics under it.
const (
	TopicKernel = "kernel"
	// TopicExit: a message of type ExitEvent at every task's death: W0
	// the task's endpoint, W1 its exit code, W2 1 when it did not exit by
	// itself (killed, a panic). Servers that keep per-process state
	// subscribe to it instead of asking about each client.
	TopicExit = "kernel/exit"
)

// ExitEvent is the type of TopicExit's messages.
const ExitEvent Type = 1

// BusErrnos are the errno values Sys.Bus answers with.
var BusErrnos = Errnos{linux.EINVAL, linux.EPERM, linux.EAGAIN, linux.ETIMEDOUT, linux.EBADF, linux.ECANCELED,
	linux.ENOSPC, linux.ECONNRESET, linux.EIO}

// Subscribe subscribes the caller to topic with a queue of depth messages.
func Subscribe(sys Sys, topic string, depth int) error {
	return sys.Bus(&BusRequest{Op: BusSubscribe, Topic: topic, Depth: depth})
}

// Unsubscribe drops the caller's subscription to topic.
func Unsubscribe(sys Sys, topic string) error {
	return sys.Bus(&BusRequest{Op: BusUnsubscribe, Topic: topic})
}

// Publish sends m to every current subscriber of topic.
func Publish(sys Sys, topic string, m *Message) error {
	return sys.Bus(&BusRequest{Op: BusPublish, Topic: topic, Msg: *m})
}

// NextPublished takes the oldest message of the caller's subscriptions
// (of topic, or of any with ""), blocking when wait. It returns the topic
// and the number of messages dropped before it.
func NextPublished(sys Sys, topic string, wait bool, m *Message) (string, int64, error) {
	r := BusRequest{Op: BusNext, Topic: topic, Wait: wait}
	err := sys.Bus(&r)
	*m = r.Msg
	return r.Topic, r.Dropped, err
}
