package dsproto

import (
	"strconv"

	"github.com/mkos/mkos/ipc"
)

// Notices on the bus (the server side: servers/ds/server_sub.go).
//
// A subscriber learns that changes wait for it from a publication, not a
// Notify: ds publishes one message (of type Changes, no payload) on the
// subscriber's notice topic, NoticeTopic(its endpoint), when a change
// lands in its empty queue. The client stub subscribes the task to that
// topic in Subscribe, with depth NoticeDepth and the caller's bits, so
// the kernel announces the publication with the bits the caller chose:
// what the caller sees is what it saw when ds notified it directly. The
// changes themselves (keys are up to MaxKey bytes, longer than a message)
// stay in ds's queue and come back with Changes, which first takes the
// notices off the topic so the next one notifies again. The topic is a
// doorbell: a full one drops the older notice, which says nothing more;
// the overflow a subscriber sees is still ds's queue's (drop newest, flag
// for the next Changes). The task's bus subscription ends with the task
// (the kernel drops it), and ds drops the task's queue when it hears of
// the death.

// NoticeDepth is the depth of a subscriber's notice subscription: one
// notice says all there is to say.
const NoticeDepth = 1

// NoticeTopic is the topic on which ds announces changes to the
// subscriber at ep: "ds/n/" and ep in hex.
func NoticeTopic(ep ipc.Endpoint) string {
	return Name + "/n/" + strconv.FormatUint(uint64(ep), 16)
}

// listen subscribes the task to its notice topic with bits, anew each
// time, as ds kept the latest bits: a notice queued on the old
// subscription has already set its bits, so dropping it loses nothing.
func (c *Client) listen(bits uint64) error {
	topic := NoticeTopic(c.Sys.Self())
	_ = c.Sys.Bus(&ipc.BusRequest{Op: ipc.BusUnsubscribe, Topic: topic}) // EINVAL when there is none
	return c.Sys.Bus(&ipc.BusRequest{Op: ipc.BusSubscribe, Topic: topic, Depth: NoticeDepth, Bits: bits})
}

// drainNotices takes the notices waiting on the task's notice topic.
func (c *Client) drainNotices() {
	topic := NoticeTopic(c.Sys.Self())
	for range NoticeDepth + 1 {
		r := ipc.BusRequest{Op: ipc.BusNext, Topic: topic}
		if c.Sys.Bus(&r) != nil {
			return // EAGAIN (none left), or not subscribed
		}
	}
}
