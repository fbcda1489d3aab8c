// Package netstack is one machine's TCP/IP stack for the net server: gVisor's
// netstack (gvisor.dev/gvisor/pkg/tcpip) with IPv4, ARP, TCP, UDP and ICMP
// echo (IPv6 when configured), made deterministic in virtual time, with
// non-blocking socket calls that answer Linux errno values.
//
// It owns:
//
//	clock.go     Clock: tcpip.Clock on virtual time; timers in a (time, seq) heap, run by Fire
//	rng.go       SecureRNG: the seeded ChaCha8 stream behind ISNs, ports, IP ids
//	link.go      queueLink: a link endpoint that only queues; Drain and Inject move frames
//	config.go    Config: MAC, addresses, routes, MTU, loopback, congestion control
//	stack.go     Stack: New, the barrier, Advance/NextTimer, Drain/Inject, Destroy
//	socket.go    Socket, Bind, Listen, Accept, Connect, Shutdown, Close, Reset
//	socket_io.go Send, SendTo, Recv, RecvFrom, Peek
//	sockopt.go   readiness (Ready, Changed), addresses, socket options
//	netstat.go   Netstat, TCPInfo (cwnd, RTT), Stats
//	probe.go     the TCP probe: Send-Q per connection and the Probes log (cwnd over time)
//	errno.go     Errno and the tcpip.Error to errno mapping
//
// # Determinism: the four measures
//
// A run is a function of the events the host feeds in (frames, times,
// socket calls) and the seed, because:
//
//  1. time is the Clock's, set by the host; timers fire from Advance in
//     (deadline, sequence) order on the caller's goroutine;
//  2. randomness is SecureRNG's, seeded from Config.Seed (the stack derives
//     its RandSource from it);
//  3. links only queue: nothing is delivered except by Inject (the Ethernet
//     NIC) or by the barrier (the loopback NIC, one packet at a time);
//  4. every public method that touches the stack ends with the barrier,
//     s.Pause(); s.Resume(), which returns once TCP's processor goroutines
//     have handled everything queued to them; the barrier then delivers
//     loopback packets and runs timers due now (zero-delay jobs such as an
//     ARP request), one at a time, each followed by Pause/Resume again.
//
// docs/network.md says why each is needed.
//
// # Using it
//
// The host (the net server) owns the virtual time. On each wake-up it calls
// Advance(now) (timers), Inject(frame) for each frame the NIC received, and
// the socket calls of its clients; then it sends Drain()'s frames to the NIC,
// retries the callers blocked on the sockets Changed() names, and sleeps
// until NextTimer(). Calls never block: a call that would wait answers
// EAGAIN (or EINPROGRESS for Connect) and readiness says when to retry.
//
// Imports: gVisor's tcpip, buffer, waiter and abi/linux/errno packages and
// the standard library; nothing of mkos (internal packages import internal
// only).
package netstack
