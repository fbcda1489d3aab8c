// Package netproto is the protocol of the net server, the service "net"
// that hosts the TCP/IP stack: sockets (Socket, Bind, Listen, Accept,
// Connect, SendTo, RecvFrom, Shutdown, SockName, PeerName, SetFlags) and
// the views behind ifconfig, netstat and route (Interfaces, Sockets,
// Routes). It imports ipc and ipc/linux only.
//
// # Sockets are streams
//
// A socket is a handle of the net server, and the server also speaks
// ipc/streamproto on it: Read and Write (recv and send without an
// address), Close, Dup (another handle on the same socket; the socket
// closes with its last handle) and Ready (poll's bits). So the user
// library keeps a socket in its descriptor table like a pipe: read,
// write and close work unchanged, a child inherits it across spawn, and
// the server closes it when the last task holding it dies. The request
// types of this package start at 64, past streamproto's.
//
// # Wire format
//
// Requests carry the handle in Word(0). An address (net/netip.AddrPort)
// takes AddrSize bytes of the payload at a fixed offset (PutAddr,
// GetAddr): a family byte (0 none, 4, 6), the port (2 bytes,
// little-endian) and the address (16 bytes, an IPv4 address in the first
// four). Data travels through the bulk windows as with streams; the
// views are JSON in the receive window (their size in the reply's
// Word(0)).
//
// # Blocking
//
// Accept, Connect, RecvFrom and SendTo (and a stream Read or Write) on a
// blocking socket wait in the server until they can be answered; on a
// socket made with linux.SOCK_NONBLOCK (or SetFlags O_NONBLOCK), or with
// linux.MSG_DONTWAIT, they fail with EAGAIN instead (EINPROGRESS for a
// Connect under way).
//
// # Restarts
//
// The net server holds the connections in its memory: when it dies, they
// die. Calls waiting in it fail with ipc.ErrServiceDied (ECONNRESET).
// A restarted instance knows a previous instance's handles by their tag
// and refuses them: reads ECONNRESET, writes EPIPE, Accept
// ECONNABORTED (listen again on a new socket), Ready POLLERR|POLLHUP,
// Close succeeds, anything else ENOTCONN. A handle that was never the net
// server's is EBADF.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, a count past the buffer, an address that does not
// decode or a view that is not JSON is garbage, and the stub returns
// ipc.ErrBadReply (EIO); a stub never panics on a reply.
package netproto
