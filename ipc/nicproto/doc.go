// Package nicproto is the protocol of the NIC driver service ("nic"):
// Ethernet frames out through the caller's send window, frames in through
// its receive window, the card's identity and counters, and the driver's
// counters. The
// net server reaches the network card only through these stubs. It imports
// ipc and ipc/linux only.
//
// A frame is an Ethernet frame without preamble and check sequence: the
// destination and source addresses, the EtherType and the payload, from
// MinFrame to the card's MTU plus 14 bytes (at most MaxFrame).
//
// Sending is asynchronous, as on a real card: Send copies the frame into
// the driver's transmit queue and replies at once; the card puts it on the
// wire when the frames before it are gone. A full queue is ENOBUFS (the
// caller drops the frame, as a full device queue drops a packet; TCP
// retransmits). Receiving is pulled: the driver takes frames off the card
// on its receive interrupt into its own bounded queue, and notifies the
// service NotifyService ("net") with RxBit; the net server then calls Recv
// until it answers EAGAIN.
//
// Errors: a frame shorter than MinFrame (a header) or a send window
// shorter than the frame's length is EINVAL, resp. EFAULT; a frame longer
// than the card takes is EMSGSIZE; a link that is down is ENETDOWN; a full
// transmit queue ENOBUFS; no frame waiting EAGAIN; a receive window too
// small for the next frame EMSGSIZE; a request type the driver does not
// know ENOSYS; no card attached to the driver ENODEV.
//
// Restarts: the driver can crash and be restarted. Frames in its queues
// are lost with it — the network above tolerates loss — and the kernel
// fails calls in progress with ipc.ErrServiceDied (ECONNRESET). The Client
// makes Info, Send and Recv again, up to Retries times, on the new
// instance: a retried Send may put a frame on the wire twice, which
// Ethernet allows. Stats is not retried: a new instance's counters start
// from zero.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, a count of frames or bytes past the window, a batch
// whose lengths do not add up, or an MTU out of range is garbage, and the
// stub returns ipc.ErrBadReply (EIO); a stub never panics on a reply.
package nicproto
