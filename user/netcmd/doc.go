// Package netcmd holds the network programs of /bin: ifconfig and ip
// (interfaces), ping (ICMP echo through an ICMP datagram socket, times in
// virtual time), nc (netcat: TCP and UDP, client and server), httpd (a
// small HTTP/1.0-1.1 file server), wget and fetch (HTTP GET), netstat
// (sockets, interfaces), tcpbench (bulk and request/response tests in
// virtual time with a checksum of every transfer, for mkos bench and
// mkos faults) and pcapstat (TCP flows of a packet capture, for the TCP
// lab).
//
// The programs are written against System (system.go): the file calls,
// virtual time and the socket calls of the system-call library. Proc
// (proc.go) provides it over a ulib.Proc; the tests provide a scripted
// network (fake_test.go), so every program's output, errors and status
// are checked without a booted system. Host names resolve through
// /etc/hosts (resolve.go).
//
// Files: cmd.go (the table, Run, options), system.go (System and the
// socket types), resolve.go, errors.go, one file per program (nc.go and
// nc_copy.go for nc; http.go is what httpd.go and wget.go share).
//
// Imports: ipc, ipc/linux, ipc/fsproto, user/ulib, internal/pcapstat.
package netcmd
