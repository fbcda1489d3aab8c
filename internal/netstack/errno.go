package netstack

import (
	"strconv"

	"gvisor.dev/gvisor/pkg/abi/linux/errno"
	"gvisor.dev/gvisor/pkg/tcpip"
)

// Errno is a Linux error number (EINVAL is 22), or OK. The net server
// converts it to its own errno type by value.
type Errno uint32

// The errno values the stack returns.
const (
	OK              Errno = 0
	EPERM           Errno = errno.EPERM
	ENOENT          Errno = errno.ENOENT
	EBADF           Errno = errno.EBADF
	EAGAIN          Errno = errno.EAGAIN
	EACCES          Errno = errno.EACCES
	EFAULT          Errno = errno.EFAULT
	EBUSY           Errno = errno.EBUSY
	EEXIST          Errno = errno.EEXIST
	ENODEV          Errno = errno.ENODEV
	EINVAL          Errno = errno.EINVAL
	ENOTTY          Errno = errno.ENOTTY
	EPIPE           Errno = errno.EPIPE
	ENONET          Errno = errno.ENONET
	EDESTADDRREQ    Errno = errno.EDESTADDRREQ
	EMSGSIZE        Errno = errno.EMSGSIZE
	EPROTONOSUPPORT Errno = errno.EPROTONOSUPPORT
	ENOPROTOOPT     Errno = errno.ENOPROTOOPT
	EOPNOTSUPP      Errno = errno.EOPNOTSUPP
	EAFNOSUPPORT    Errno = errno.EAFNOSUPPORT
	EADDRINUSE      Errno = errno.EADDRINUSE
	EADDRNOTAVAIL   Errno = errno.EADDRNOTAVAIL
	ENETUNREACH     Errno = errno.ENETUNREACH
	ECONNABORTED    Errno = errno.ECONNABORTED
	ECONNRESET      Errno = errno.ECONNRESET
	ENOBUFS         Errno = errno.ENOBUFS
	EISCONN         Errno = errno.EISCONN
	ENOTCONN        Errno = errno.ENOTCONN
	ETIMEDOUT       Errno = errno.ETIMEDOUT
	ECONNREFUSED    Errno = errno.ECONNREFUSED
	EHOSTDOWN       Errno = errno.EHOSTDOWN
	EHOSTUNREACH    Errno = errno.EHOSTUNREACH
	EALREADY        Errno = errno.EALREADY
	EINPROGRESS     Errno = errno.EINPROGRESS
)

// Errnos lists every errno a Stack method can return besides OK, for the net
// server's protocol errno set.
var Errnos = []Errno{
	EPERM, ENOENT, EBADF, EAGAIN, EACCES, EFAULT, EBUSY, EEXIST, ENODEV,
	EINVAL, ENOTTY, EPIPE, ENONET, EDESTADDRREQ, EMSGSIZE, EPROTONOSUPPORT,
	ENOPROTOOPT, EOPNOTSUPP, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL,
	ENETUNREACH, ECONNABORTED, ECONNRESET, ENOBUFS, EISCONN, ENOTCONN,
	ETIMEDOUT, ECONNREFUSED, EHOSTDOWN, EHOSTUNREACH, EALREADY, EINPROGRESS,
}

// errnoOf maps a netstack error to its Linux errno, as Linux's socket calls
// report the same condition (gVisor's syserr does the same translation). A
// nil error is OK; ErrClosedForReceive is OK too (end of stream), which Recv
// handles before calling this.
func errnoOf(err tcpip.Error) Errno {
	switch err.(type) {
	case nil, *tcpip.ErrClosedForReceive:
		return OK
	case *tcpip.ErrWouldBlock, *tcpip.ErrNoPortAvailable:
		return EAGAIN
	case *tcpip.ErrConnectStarted:
		return EINPROGRESS
	case *tcpip.ErrAlreadyConnecting:
		return EALREADY
	case *tcpip.ErrAlreadyConnected:
		return EISCONN
	case *tcpip.ErrNotConnected:
		return ENOTCONN
	case *tcpip.ErrConnectionRefused:
		return ECONNREFUSED
	case *tcpip.ErrConnectionReset:
		return ECONNRESET
	case *tcpip.ErrConnectionAborted:
		return ECONNABORTED
	case *tcpip.ErrClosedForSend, *tcpip.ErrAborted:
		return EPIPE
	case *tcpip.ErrTimeout:
		return ETIMEDOUT
	case *tcpip.ErrPortInUse:
		return EADDRINUSE
	case *tcpip.ErrBadLocalAddress:
		return EADDRNOTAVAIL
	case *tcpip.ErrNetworkUnreachable:
		return ENETUNREACH
	case *tcpip.ErrHostUnreachable:
		return EHOSTUNREACH
	case *tcpip.ErrHostDown:
		return EHOSTDOWN
	case *tcpip.ErrNoNet:
		return ENONET
	case *tcpip.ErrDestinationRequired:
		return EDESTADDRREQ
	case *tcpip.ErrMessageTooLong:
		return EMSGSIZE
	case *tcpip.ErrNoBufferSpace:
		return ENOBUFS
	case *tcpip.ErrNotSupported:
		return EOPNOTSUPP
	case *tcpip.ErrQueueSizeNotSupported:
		return ENOTTY
	case *tcpip.ErrUnknownProtocolOption:
		return ENOPROTOOPT
	case *tcpip.ErrAddressFamilyNotSupported:
		return EAFNOSUPPORT
	case *tcpip.ErrBroadcastDisabled:
		return EACCES
	case *tcpip.ErrNotPermitted:
		return EPERM
	case *tcpip.ErrBadAddress, *tcpip.ErrBadBuffer:
		return EFAULT
	case *tcpip.ErrNoSuchFile:
		return ENOENT
	case *tcpip.ErrUnknownNICID, *tcpip.ErrUnknownDevice, *tcpip.ErrInvalidNICID:
		return ENODEV
	case *tcpip.ErrDuplicateNICID, *tcpip.ErrDuplicateAddress:
		return EEXIST
	case *tcpip.ErrEndpointBusy:
		return EBUSY
	}
	// ErrAlreadyBound, ErrInvalidEndpointState, ErrInvalidOptionValue,
	// ErrUnknownProtocol, ErrMalformedHeader, ErrInvalidPortRange,
	// ErrMissingRequiredFields, ErrMulticastInputCannotBeOutput and any
	// error a later netstack adds.
	return EINVAL
}

// Error returns the errno's Linux name ("ECONNREFUSED"), or "errno N".
func (e Errno) Error() string {
	if n, ok := errnoNames[e]; ok {
		return n
	}
	return "errno " + strconv.FormatUint(uint64(e), 10)
}

var errnoNames = map[Errno]string{
	OK: "OK", EPERM: "EPERM", ENOENT: "ENOENT", EBADF: "EBADF", EAGAIN: "EAGAIN",
	EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", EEXIST: "EEXIST",
	ENODEV: "ENODEV", EINVAL: "EINVAL", ENOTTY: "ENOTTY", EPIPE: "EPIPE",
	ENONET: "ENONET", EDESTADDRREQ: "EDESTADDRREQ", EMSGSIZE: "EMSGSIZE",
	EPROTONOSUPPORT: "EPROTONOSUPPORT", ENOPROTOOPT: "ENOPROTOOPT",
	EOPNOTSUPP: "EOPNOTSUPP", EAFNOSUPPORT: "EAFNOSUPPORT",
	EADDRINUSE: "EADDRINUSE", EADDRNOTAVAIL: "EADDRNOTAVAIL",
	ENETUNREACH: "ENETUNREACH", ECONNABORTED: "ECONNABORTED",
	ECONNRESET: "ECONNRESET", ENOBUFS: "ENOBUFS", EISCONN: "EISCONN",
	ENOTCONN: "ENOTCONN", ETIMEDOUT: "ETIMEDOUT", ECONNREFUSED: "ECONNREFUSED",
	EHOSTDOWN: "EHOSTDOWN", EHOSTUNREACH: "EHOSTUNREACH", EALREADY: "EALREADY",
	EINPROGRESS: "EINPROGRESS",
}
