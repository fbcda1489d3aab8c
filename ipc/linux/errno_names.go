package linux

import "gvisor.dev/gvisor/pkg/abi/linux/errno"

// The errno values of Linux's generic ABI (include/uapi/asm-generic/errno*.h),
// the same on every host: the numbers come from gVisor's host-independent
// errno package.
const (
	EPERM           = Errno(errno.EPERM)
	ENOENT          = Errno(errno.ENOENT)
	ESRCH           = Errno(errno.ESRCH)
	EINTR           = Errno(errno.EINTR)
	EIO             = Errno(errno.EIO)
	ENXIO           = Errno(errno.ENXIO)
	E2BIG           = Errno(errno.E2BIG)
	ENOEXEC         = Errno(errno.ENOEXEC)
	EBADF           = Errno(errno.EBADF)
	ECHILD          = Errno(errno.ECHILD)
	EAGAIN          = Errno(errno.EAGAIN)
	ENOMEM          = Errno(errno.ENOMEM)
	EACCES          = Errno(errno.EACCES)
	EFAULT          = Errno(errno.EFAULT)
	ENOTBLK         = Errno(errno.ENOTBLK)
	EBUSY           = Errno(errno.EBUSY)
	EEXIST          = Errno(errno.EEXIST)
	EXDEV           = Errno(errno.EXDEV)
	ENODEV          = Errno(errno.ENODEV)
	ENOTDIR         = Errno(errno.ENOTDIR)
	EISDIR          = Errno(errno.EISDIR)
	EINVAL          = Errno(errno.EINVAL)
	ENFILE          = Errno(errno.ENFILE)
	EMFILE          = Errno(errno.EMFILE)
	ENOTTY          = Errno(errno.ENOTTY)
	ETXTBSY         = Errno(errno.ETXTBSY)
	EFBIG           = Errno(errno.EFBIG)
	ENOSPC          = Errno(errno.ENOSPC)
	ESPIPE          = Errno(errno.ESPIPE)
	EROFS           = Errno(errno.EROFS)
	EMLINK          = Errno(errno.EMLINK)
	EPIPE           = Errno(errno.EPIPE)
	EDOM            = Errno(errno.EDOM)
	ERANGE          = Errno(errno.ERANGE)
	EDEADLK         = Errno(errno.EDEADLK)
	ENAMETOOLONG    = Errno(errno.ENAMETOOLONG)
	ENOLCK          = Errno(errno.ENOLCK)
	ENOSYS          = Errno(errno.ENOSYS)
	ENOTEMPTY       = Errno(errno.ENOTEMPTY)
	ELOOP           = Errno(errno.ELOOP)
	ENOMSG          = Errno(errno.ENOMSG)
	EIDRM           = Errno(errno.EIDRM)
	ECHRNG          = Errno(errno.ECHRNG)
	EL2NSYNC        = Errno(errno.EL2NSYNC)
	EL3HLT          = Errno(errno.EL3HLT)
	EL3RST          = Errno(errno.EL3RST)
	ELNRNG          = Errno(errno.ELNRNG)
	EUNATCH         = Errno(errno.EUNATCH)
	ENOCSI          = Errno(errno.ENOCSI)
	EL2HLT          = Errno(errno.EL2HLT)
	EBADE           = Errno(errno.EBADE)
	EBADR           = Errno(errno.EBADR)
	EXFULL          = Errno(errno.EXFULL)
	ENOANO          = Errno(errno.ENOANO)
	EBADRQC         = Errno(errno.EBADRQC)
	EBADSLT         = Errno(errno.EBADSLT)
	EBFONT          = Errno(errno.EBFONT)
	ENOSTR          = Errno(errno.ENOSTR)
	ENODATA         = Errno(errno.ENODATA)
	ETIME           = Errno(errno.ETIME)
	ENOSR           = Errno(errno.ENOSR)
	ENONET          = Errno(errno.ENONET)
	ENOPKG          = Errno(errno.ENOPKG)
	EREMOTE         = Errno(errno.EREMOTE)
	ENOLINK         = Errno(errno.ENOLINK)
	EADV            = Errno(errno.EADV)
	ESRMNT          = Errno(errno.ESRMNT)
	ECOMM           = Errno(errno.ECOMM)
	EPROTO          = Errno(errno.EPROTO)
	EMULTIHOP       = Errno(errno.EMULTIHOP)
	EDOTDOT         = Errno(errno.EDOTDOT)
	EBADMSG         = Errno(errno.EBADMSG)
	EOVERFLOW       = Errno(errno.EOVERFLOW)
	ENOTUNIQ        = Errno(errno.ENOTUNIQ)
	EBADFD          = Errno(errno.EBADFD)
	EREMCHG         = Errno(errno.EREMCHG)
	ELIBACC         = Errno(errno.ELIBACC)
	ELIBBAD         = Errno(errno.ELIBBAD)
	ELIBSCN         = Errno(errno.ELIBSCN)
	ELIBMAX         = Errno(errno.ELIBMAX)
	ELIBEXEC        = Errno(errno.ELIBEXEC)
	EILSEQ          = Errno(errno.EILSEQ)
	ERESTART        = Errno(errno.ERESTART)
	ESTRPIPE        = Errno(errno.ESTRPIPE)
	EUSERS          = Errno(errno.EUSERS)
	ENOTSOCK        = Errno(errno.ENOTSOCK)
	EDESTADDRREQ    = Errno(errno.EDESTADDRREQ)
	EMSGSIZE        = Errno(errno.EMSGSIZE)
	EPROTOTYPE      = Errno(errno.EPROTOTYPE)
	ENOPROTOOPT     = Errno(errno.ENOPROTOOPT)
	EPROTONOSUPPORT = Errno(errno.EPROTONOSUPPORT)
	ESOCKTNOSUPPORT = Errno(errno.ESOCKTNOSUPPORT)
	EOPNOTSUPP      = Errno(errno.EOPNOTSUPP)
	EPFNOSUPPORT    = Errno(errno.EPFNOSUPPORT)
	EAFNOSUPPORT    = Errno(errno.EAFNOSUPPORT)
	EADDRINUSE      = Errno(errno.EADDRINUSE)
	EADDRNOTAVAIL   = Errno(errno.EADDRNOTAVAIL)
	ENETDOWN        = Errno(errno.ENETDOWN)
	ENETUNREACH     = Errno(errno.ENETUNREACH)
	ENETRESET       = Errno(errno.ENETRESET)
	ECONNABORTED    = Errno(errno.ECONNABORTED)
	ECONNRESET      = Errno(errno.ECONNRESET)
	ENOBUFS         = Errno(errno.ENOBUFS)
	EISCONN         = Errno(errno.EISCONN)
	ENOTCONN        = Errno(errno.ENOTCONN)
	ESHUTDOWN       = Errno(errno.ESHUTDOWN)
	ETOOMANYREFS    = Errno(errno.ETOOMANYREFS)
	ETIMEDOUT       = Errno(errno.ETIMEDOUT)
	ECONNREFUSED    = Errno(errno.ECONNREFUSED)
	EHOSTDOWN       = Errno(errno.EHOSTDOWN)
	EHOSTUNREACH    = Errno(errno.EHOSTUNREACH)
	EALREADY        = Errno(errno.EALREADY)
	EINPROGRESS     = Errno(errno.EINPROGRESS)
	ESTALE          = Errno(errno.ESTALE)
	EUCLEAN         = Errno(errno.EUCLEAN)
	ENOTNAM         = Errno(errno.ENOTNAM)
	ENAVAIL         = Errno(errno.ENAVAIL)
	EISNAM          = Errno(errno.EISNAM)
	EREMOTEIO       = Errno(errno.EREMOTEIO)
	EDQUOT          = Errno(errno.EDQUOT)
	ENOMEDIUM       = Errno(errno.ENOMEDIUM)
	EMEDIUMTYPE     = Errno(errno.EMEDIUMTYPE)
	ECANCELED       = Errno(errno.ECANCELED)
	ENOKEY          = Errno(errno.ENOKEY)
	EKEYEXPIRED     = Errno(errno.EKEYEXPIRED)
	EKEYREVOKED     = Errno(errno.EKEYREVOKED)
	EKEYREJECTED    = Errno(errno.EKEYREJECTED)
	EOWNERDEAD      = Errno(errno.EOWNERDEAD)
	ENOTRECOVERABLE = Errno(errno.ENOTRECOVERABLE)
	ERFKILL         = Errno(errno.ERFKILL)
	EHWPOISON       = Errno(errno.EHWPOISON)

	// EWOULDBLOCK is EAGAIN, as on Linux.
	EWOULDBLOCK = EAGAIN
	// EDEADLOCK is EDEADLK, as on Linux.
	EDEADLOCK = EDEADLK
	// ENOTSUP is EOPNOTSUPP, as on Linux.
	ENOTSUP = EOPNOTSUPP
	// EFSCORRUPTED is EUCLEAN, the kernel's name for it in file systems.
	EFSCORRUPTED = EUCLEAN
)

// errnoTable holds each errno's name and Linux's own text for it (glibc's
// strerror, lower-cased as Go prints it), indexed by number.
var errnoTable = [...]struct{ name, text string }{
	EPERM:           {"EPERM", "operation not permitted"},
	ENOENT:          {"ENOENT", "no such file or directory"},
	ESRCH:           {"ESRCH", "no such process"},
	EINTR:           {"EINTR", "interrupted system call"},
	EIO:             {"EIO", "input/output error"},
	ENXIO:           {"ENXIO", "no such device or address"},
	E2BIG:           {"E2BIG", "argument list too long"},
	ENOEXEC:         {"ENOEXEC", "exec format error"},
	EBADF:           {"EBADF", "bad file descriptor"},
	ECHILD:          {"ECHILD", "no child processes"},
	EAGAIN:          {"EAGAIN", "resource temporarily unavailable"},
	ENOMEM:          {"ENOMEM", "cannot allocate memory"},
	EACCES:          {"EACCES", "permission denied"},
	EFAULT:          {"EFAULT", "bad address"},
	ENOTBLK:         {"ENOTBLK", "block device required"},
	EBUSY:           {"EBUSY", "device or resource busy"},
	EEXIST:          {"EEXIST", "file exists"},
	EXDEV:           {"EXDEV", "invalid cross-device link"},
	ENODEV:          {"ENODEV", "no such device"},
	ENOTDIR:         {"ENOTDIR", "not a directory"},
	EISDIR:          {"EISDIR", "is a directory"},
	EINVAL:          {"EINVAL", "invalid argument"},
	ENFILE:          {"ENFILE", "too many open files in system"},
	EMFILE:          {"EMFILE", "too many open files"},
	ENOTTY:          {"ENOTTY", "inappropriate ioctl for device"},
	ETXTBSY:         {"ETXTBSY", "text file busy"},
	EFBIG:           {"EFBIG", "file too large"},
	ENOSPC:          {"ENOSPC", "no space left on device"},
	ESPIPE:          {"ESPIPE", "illegal seek"},
	EROFS:           {"EROFS", "read-only file system"},
	EMLINK:          {"EMLINK", "too many links"},
	EPIPE:           {"EPIPE", "broken pipe"},
	EDOM:            {"EDOM", "numerical argument out of domain"},
	ERANGE:          {"ERANGE", "numerical result out of range"},
	EDEADLK:         {"EDEADLK", "resource deadlock avoided"},
	ENAMETOOLONG:    {"ENAMETOOLONG", "file name too long"},
	ENOLCK:          {"ENOLCK", "no locks available"},
	ENOSYS:          {"ENOSYS", "function not implemented"},
	ENOTEMPTY:       {"ENOTEMPTY", "directory not empty"},
	ELOOP:           {"ELOOP", "too many levels of symbolic links"},
	ENOMSG:          {"ENOMSG", "no message of desired type"},
	EIDRM:           {"EIDRM", "identifier removed"},
	ECHRNG:          {"ECHRNG", "channel number out of range"},
	EL2NSYNC:        {"EL2NSYNC", "level 2 not synchronized"},
	EL3HLT:          {"EL3HLT", "level 3 halted"},
	EL3RST:          {"EL3RST", "level 3 reset"},
	ELNRNG:          {"ELNRNG", "link number out of range"},
	EUNATCH:         {"EUNATCH", "protocol driver not attached"},
	ENOCSI:          {"ENOCSI", "no CSI structure available"},
	EL2HLT:          {"EL2HLT", "level 2 halted"},
	EBADE:           {"EBADE", "invalid exchange"},
	EBADR:           {"EBADR", "invalid request descriptor"},
	EXFULL:          {"EXFULL", "exchange full"},
	ENOANO:          {"ENOANO", "no anode"},
	EBADRQC:         {"EBADRQC", "invalid request code"},
	EBADSLT:         {"EBADSLT", "invalid slot"},
	EBFONT:          {"EBFONT", "bad font file format"},
	ENOSTR:          {"ENOSTR", "device not a stream"},
	ENODATA:         {"ENODATA", "no data available"},
	ETIME:           {"ETIME", "timer expired"},
	ENOSR:           {"ENOSR", "out of streams resources"},
	ENONET:          {"ENONET", "machine is not on the network"},
	ENOPKG:          {"ENOPKG", "package not installed"},
	EREMOTE:         {"EREMOTE", "object is remote"},
	ENOLINK:         {"ENOLINK", "link has been severed"},
	EADV:            {"EADV", "advertise error"},
	ESRMNT:          {"ESRMNT", "srmount error"},
	ECOMM:           {"ECOMM", "communication error on send"},
	EPROTO:          {"EPROTO", "protocol error"},
	EMULTIHOP:       {"EMULTIHOP", "multihop attempted"},
	EDOTDOT:         {"EDOTDOT", "RFS specific error"},
	EBADMSG:         {"EBADMSG", "bad message"},
	EOVERFLOW:       {"EOVERFLOW", "value too large for defined data type"},
	ENOTUNIQ:        {"ENOTUNIQ", "name not unique on network"},
	EBADFD:          {"EBADFD", "file descriptor in bad state"},
	EREMCHG:         {"EREMCHG", "remote address changed"},
	ELIBACC:         {"ELIBACC", "can not access a needed shared library"},
	ELIBBAD:         {"ELIBBAD", "accessing a corrupted shared library"},
	ELIBSCN:         {"ELIBSCN", ".lib section in a.out corrupted"},
	ELIBMAX:         {"ELIBMAX", "attempting to link in too many shared libraries"},
	ELIBEXEC:        {"ELIBEXEC", "cannot exec a shared library directly"},
	EILSEQ:          {"EILSEQ", "invalid or incomplete multibyte or wide character"},
	ERESTART:        {"ERESTART", "interrupted system call should be restarted"},
	ESTRPIPE:        {"ESTRPIPE", "streams pipe error"},
	EUSERS:          {"EUSERS", "too many users"},
	ENOTSOCK:        {"ENOTSOCK", "socket operation on non-socket"},
	EDESTADDRREQ:    {"EDESTADDRREQ", "destination address required"},
	EMSGSIZE:        {"EMSGSIZE", "message too long"},
	EPROTOTYPE:      {"EPROTOTYPE", "protocol wrong type for socket"},
	ENOPROTOOPT:     {"ENOPROTOOPT", "protocol not available"},
	EPROTONOSUPPORT: {"EPROTONOSUPPORT", "protocol not supported"},
	ESOCKTNOSUPPORT: {"ESOCKTNOSUPPORT", "socket type not supported"},
	EOPNOTSUPP:      {"EOPNOTSUPP", "operation not supported"},
	EPFNOSUPPORT:    {"EPFNOSUPPORT", "protocol family not supported"},
	EAFNOSUPPORT:    {"EAFNOSUPPORT", "address family not supported by protocol"},
	EADDRINUSE:      {"EADDRINUSE", "address already in use"},
	EADDRNOTAVAIL:   {"EADDRNOTAVAIL", "cannot assign requested address"},
	ENETDOWN:        {"ENETDOWN", "network is down"},
	ENETUNREACH:     {"ENETUNREACH", "network is unreachable"},
	ENETRESET:       {"ENETRESET", "network dropped connection on reset"},
	ECONNABORTED:    {"ECONNABORTED", "software caused connection abort"},
	ECONNRESET:      {"ECONNRESET", "connection reset by peer"},
	ENOBUFS:         {"ENOBUFS", "no buffer space available"},
	EISCONN:         {"EISCONN", "transport endpoint is already connected"},
	ENOTCONN:        {"ENOTCONN", "transport endpoint is not connected"},
	ESHUTDOWN:       {"ESHUTDOWN", "cannot send after transport endpoint shutdown"},
	ETOOMANYREFS:    {"ETOOMANYREFS", "too many references: cannot splice"},
	ETIMEDOUT:       {"ETIMEDOUT", "connection timed out"},
	ECONNREFUSED:    {"ECONNREFUSED", "connection refused"},
	EHOSTDOWN:       {"EHOSTDOWN", "host is down"},
	EHOSTUNREACH:    {"EHOSTUNREACH", "no route to host"},
	EALREADY:        {"EALREADY", "operation already in progress"},
	EINPROGRESS:     {"EINPROGRESS", "operation now in progress"},
	ESTALE:          {"ESTALE", "stale file handle"},
	EUCLEAN:         {"EUCLEAN", "structure needs cleaning"},
	ENOTNAM:         {"ENOTNAM", "not a XENIX named type file"},
	ENAVAIL:         {"ENAVAIL", "no XENIX semaphores available"},
	EISNAM:          {"EISNAM", "is a named type file"},
	EREMOTEIO:       {"EREMOTEIO", "remote I/O error"},
	EDQUOT:          {"EDQUOT", "disk quota exceeded"},
	ENOMEDIUM:       {"ENOMEDIUM", "no medium found"},
	EMEDIUMTYPE:     {"EMEDIUMTYPE", "wrong medium type"},
	ECANCELED:       {"ECANCELED", "operation canceled"},
	ENOKEY:          {"ENOKEY", "required key not available"},
	EKEYEXPIRED:     {"EKEYEXPIRED", "key has expired"},
	EKEYREVOKED:     {"EKEYREVOKED", "key has been revoked"},
	EKEYREJECTED:    {"EKEYREJECTED", "key was rejected by service"},
	EOWNERDEAD:      {"EOWNERDEAD", "owner died"},
	ENOTRECOVERABLE: {"ENOTRECOVERABLE", "state not recoverable"},
	ERFKILL:         {"ERFKILL", "operation not possible due to RF-kill"},
	EHWPOISON:       {"EHWPOISON", "memory page has hardware error"},
}
