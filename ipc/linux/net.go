package linux

// Socket domains, types and protocols of socket(2), as on Linux.
const (
	AF_UNSPEC = 0
	AF_INET   = 2
	AF_INET6  = 10

	SOCK_STREAM   = 1
	SOCK_DGRAM    = 2
	SOCK_RAW      = 3
	SOCK_NONBLOCK = 0x800 // O_NONBLOCK, or'ed into socket(2)'s type
	SOCK_CLOEXEC  = 0x80000
	// SOCK_TYPE_MASK keeps the type of socket(2)'s type argument.
	SOCK_TYPE_MASK = 0xf

	IPPROTO_IP     = 0
	IPPROTO_ICMP   = 1
	IPPROTO_TCP    = 6
	IPPROTO_UDP    = 17
	IPPROTO_ICMPV6 = 58
)

// O_NONBLOCK is open(2)'s and fcntl(2)'s non-blocking flag.
const O_NONBLOCK = 0x800

// Flags of send(2) and recv(2).
const (
	MSG_PEEK     = 0x2
	MSG_DONTWAIT = 0x40
	MSG_NOSIGNAL = 0x4000
)

// How of shutdown(2).
const (
	SHUT_RD   = 0
	SHUT_WR   = 1
	SHUT_RDWR = 2
)

// Event bits of poll(2).
const (
	POLLIN   = 0x1
	POLLPRI  = 0x2
	POLLOUT  = 0x4
	POLLERR  = 0x8
	POLLHUP  = 0x10
	POLLNVAL = 0x20
)
