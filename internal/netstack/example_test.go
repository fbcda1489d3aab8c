package netstack_test

import (
	"fmt"
	"net/netip"

	"github.com/mkos/mkos/internal/netstack"
)

// Example shows the host's loop: two stacks, frames moved between them by
// the host with 1 ms of latency, timers run when due, a TCP exchange.
func Example() {
	newHost := func(i byte) *netstack.Stack {
		s, err := netstack.New(netstack.Config{
			Seed:  uint64(i),
			MAC:   fmt.Sprintf("02:00:00:00:00:%02x", i),
			Addrs: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, i}), 24)},
		})
		if err != nil {
			panic(err)
		}
		return s
	}
	a, b := newHost(1), newHost(2)
	defer a.Destroy()
	defer b.Destroy()

	lis, _ := b.Socket(netstack.IPv4, netstack.TCP)
	b.Bind(lis, netip.MustParseAddrPort("0.0.0.0:7"))
	b.Listen(lis, 4)
	cli, _ := a.Socket(netstack.IPv4, netstack.TCP)
	fmt.Println("connect:", a.Connect(cli, netip.MustParseAddrPort("10.0.0.2:7")))
	// 0-1 ms ARP request, 1-2 ARP reply, 2-3 SYN, 3-4 SYN-ACK, 4-5 ACK.

	// The host's loop: move frames, advance time to the next event.
	now := int64(0)
	type frame struct {
		at int64
		to *netstack.Stack
		b  []byte
	}
	var wire []frame
	step := func() {
		for _, f := range a.Drain() {
			wire = append(wire, frame{now + 1e6, b, f})
		}
		for _, f := range b.Drain() {
			wire = append(wire, frame{now + 1e6, a, f})
		}
		next := int64(-1)
		if len(wire) > 0 {
			next = wire[0].at
		}
		for _, s := range []*netstack.Stack{a, b} {
			if at, ok := s.NextTimer(); ok && (next < 0 || at < next) {
				next = at
			}
		}
		if next < 0 {
			panic("nothing pending")
		}
		now = next
		a.Advance(now)
		b.Advance(now)
		for len(wire) > 0 && wire[0].at <= now {
			wire[0].to.Inject(wire[0].b)
			wire = wire[1:]
		}
	}
	for a.Ready(cli)&netstack.EventOut == 0 {
		step()
	}
	fmt.Println("connected:", a.SockError(cli), "at", now/1e6, "ms")
	for b.Ready(lis)&netstack.EventIn == 0 { // the client's ACK is on its way
		step()
	}
	srv, peer, _ := b.Accept(lis)
	fmt.Println("accepted from", peer.Addr())
	a.Send(cli, []byte("hello"))
	buf := make([]byte, 16)
	for b.Ready(srv)&netstack.EventIn == 0 {
		step()
	}
	n, _ := b.Recv(srv, buf)
	fmt.Printf("received %q at %d ms\n", buf[:n], now/1e6)
	// Output:
	// connect: EINPROGRESS
	// connected: OK at 4 ms
	// accepted from 10.0.0.1
	// received "hello" at 6 ms
}
