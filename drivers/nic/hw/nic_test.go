package hw

import (
	"bytes"
	"slices"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

func TestSerializationTime(t *testing.T) {
	cases := []struct {
		name     string
		size     int
		speedBps int64
		wantNs   int64
	}{
		{"minimum frame at 1 Gbit/s", 60, 1_000_000_000, 672}, // (60+24)*8
		{"short frame is padded", 42, 1_000_000_000, 672},
		{"full frame at 1 Gbit/s", 1514, 1_000_000_000, 12_304},
		{"full frame at 100 Mbit/s", 1514, 100_000_000, 123_040},
		{"full frame at 10 Gbit/s rounds up", 1514, 10_000_000_000, 1231},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newCard(t, 1, Options{SpeedBps: c.speedBps})
			req := ipc.DevRequest{Op: OpSend, Arg: [4]int64{int64(c.size)}, Buf: frame(Broadcast, n.MAC(), 1, c.size)}
			done, e := n.Start(1000, &req)
			if e != 0 || done-1000 != c.wantNs {
				t.Errorf("Start() = %d, %v, want %d, 0", done-1000, e, c.wantNs)
			}
			if c := n.Finish(done, &req); c.N != len(req.Buf) || c.Errno != 0 {
				t.Errorf("Finish() = %+v, want N %d", c, len(req.Buf))
			}
			if s := n.Stats(); s.TxFrames != 1 || s.TxBytes != int64(c.size) {
				t.Errorf("Stats() = %+v, want 1 frame of %d bytes", s, c.size)
			}
		})
	}
}

func TestSendRejects(t *testing.T) {
	cases := []struct {
		name string
		size int64
		buf  int
		down bool
		want ipc.Errno
	}{
		{"shorter than a header", 13, 64, false, linux.EINVAL},
		{"longer than the buffer", 100, 64, false, linux.EINVAL},
		{"negative length", -1, 64, false, linux.EINVAL},
		{"above the MTU", 1515, 2000, false, linux.EMSGSIZE},
		{"link down", 64, 64, true, linux.ENETDOWN},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newCard(t, 1, Options{})
			n.SetLink(!c.down)
			req := ipc.DevRequest{Op: OpSend, Arg: [4]int64{c.size}, Buf: make([]byte, c.buf)}
			if _, e := n.Start(0, &req); e != c.want {
				t.Errorf("Start() = %v, want %v", e, c.want)
			}
			if s := n.Stats(); s.TxErrors != 1 || s.TxFrames != 0 {
				t.Errorf("Stats() = %+v, want 1 error and no frame", s)
			}
			// The card is not busy after a refusal: the MTU's frame goes.
			ok := ipc.DevRequest{Op: OpSend, Arg: [4]int64{1514}, Buf: make([]byte, 1514)}
			if _, e := n.Start(0, &ok); e != 0 && !c.down {
				t.Errorf("Start(1514 bytes) after a refusal = %v, want 0", e)
			}
		})
	}
}

func TestOperationsRejects(t *testing.T) {
	n := newCard(t, 1, Options{})
	cases := []struct {
		name string
		req  ipc.DevRequest
		want ipc.Errno
	}{
		{"unknown op", ipc.DevRequest{Op: 99}, linux.EINVAL},
		{"receive from an empty ring", ipc.DevRequest{Op: OpRecv, Buf: make([]byte, 2000)}, linux.EAGAIN},
		{"identify into a short buffer", ipc.DevRequest{Op: OpIdentify, Buf: make([]byte, 8)}, linux.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, e := n.Start(0, &c.req); e != c.want {
				t.Errorf("Start() = %v, want %v", e, c.want)
			}
		})
	}
	if c := n.Finish(0, &ipc.DevRequest{Op: OpSend}); c.Errno != linux.EINVAL {
		t.Errorf("Finish() with nothing started = %v, want EINVAL", c.Errno)
	}
}

func TestIdentify(t *testing.T) {
	n := newCard(t, 3, Options{MTU: 9000, SpeedBps: 10_000_000_000, RxRing: 64})
	n.deliver(0, frame(n.MAC(), HostMAC(1, 0), 0, 64))
	n.deliver(0, frame(HostMAC(9, 0), HostMAC(1, 0), 0, 64))
	n.SetLink(false)
	n.deliver(0, frame(n.MAC(), HostMAC(1, 0), 0, 64))
	n.Start(0, &ipc.DevRequest{Op: OpSend, Arg: [4]int64{60}, Buf: make([]byte, 60)})
	req := ipc.DevRequest{Op: OpIdentify, Buf: make([]byte, IdentifySize)}
	done, e := n.Start(5, &req)
	if e != 0 || done != 5 {
		t.Fatalf("Start() = %d, %v, want 5, 0", done, e)
	}
	n.Finish(done, &req)
	got, ok := DecodeIdentify(req.Buf)
	want := Identity{MAC: HostMAC(3, 0), MTU: 9000, SpeedBps: 10_000_000_000, Up: false, RxRing: 64,
		Counters: Counters{TxErrors: 1, RxFrames: 1, RxBytes: 64, RxDropped: 1, RxFiltered: 1}}
	if !ok || got != want {
		t.Errorf("DecodeIdentify() = %+v, %v, want %+v", got, ok, want)
	}
}

func TestFullRingDrops(t *testing.T) {
	n := newCard(t, 1, Options{RxRing: 4})
	irqs := 0
	n.OnReceive = func(int64) { irqs++ }
	for i := range 10 {
		n.deliver(int64(i), frame(n.MAC(), HostMAC(2, 0), uint32(i), 64))
	}
	if s := n.Stats(); s.RxFrames != 4 || s.RxDropped != 6 || n.Pending() != 4 || irqs != 4 {
		t.Fatalf("Stats() = %+v, pending %d, %d interrupts; want 4 kept, 6 dropped, 4 interrupts", s, n.Pending(), irqs)
	}
	// A batch of at most 2, then the rest: oldest first, nothing lost.
	var got []uint32
	for _, limit := range []int64{2, 0} {
		req := ipc.DevRequest{Op: OpRecv, Arg: [4]int64{limit}, Buf: make([]byte, 4096)}
		done, e := n.Start(100, &req)
		if e != 0 {
			t.Fatalf("Start(recv) = %v", e)
		}
		c := n.Finish(done, &req)
		for f, rest, ok := NextFrame(req.Buf[:c.N]); ok; f, rest, ok = NextFrame(rest) {
			got = append(got, seqOf(f))
		}
	}
	if want := []uint32{0, 1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("frames read = %v, want %v", got, want)
	}
	n.deliver(200, frame(n.MAC(), HostMAC(2, 0), 10, 64))
	if n.Pending() != 1 {
		t.Errorf("Pending() after the ring emptied = %d, want 1", n.Pending())
	}
}

func TestReceiveFilters(t *testing.T) {
	cases := []struct {
		name    string
		o       Options
		down    bool
		frame   []byte
		keep    bool
		dropped int64
	}{
		{"to its address", Options{}, false, frame(HostMAC(1, 0), HostMAC(2, 0), 0, 64), true, 0},
		{"broadcast", Options{}, false, frame(Broadcast, HostMAC(2, 0), 0, 64), true, 0},
		{"to another card", Options{}, false, frame(HostMAC(3, 0), HostMAC(2, 0), 0, 64), false, 0},
		{"to another card, promiscuous", Options{Promiscuous: true}, false, frame(HostMAC(3, 0), HostMAC(2, 0), 0, 64), true, 0},
		{"link down", Options{}, true, frame(HostMAC(1, 0), HostMAC(2, 0), 0, 64), false, 1},
		{"above its MTU", Options{MTU: 576}, false, frame(HostMAC(1, 0), HostMAC(2, 0), 0, 1514), false, 1},
		{"runt", Options{}, false, []byte{1, 2, 3}, false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newCard(t, 1, c.o)
			n.SetLink(!c.down)
			n.deliver(0, c.frame)
			if got := n.Pending() == 1; got != c.keep || n.Stats().RxDropped != c.dropped {
				t.Errorf("kept = %v, dropped %d, want %v, %d", got, n.Stats().RxDropped, c.keep, c.dropped)
			}
		})
	}
}

func TestRecvBufferTooSmall(t *testing.T) {
	n := newCard(t, 1, Options{})
	n.deliver(0, frame(n.MAC(), HostMAC(2, 0), 0, 1000))
	req := ipc.DevRequest{Op: OpRecv, Buf: make([]byte, 1001)}
	if _, e := n.Start(0, &req); e != linux.EINVAL {
		t.Errorf("Start(recv into 1001 bytes) = %v, want EINVAL", e)
	}
	req.Buf = make([]byte, 1002)
	done, e := n.Start(0, &req)
	if e != 0 || done != 251 { // 1002 bytes at 4 GB/s
		t.Fatalf("Start(recv into 1002 bytes) = %d, %v, want 251, 0", done, e)
	}
	c := n.Finish(done, &req)
	f, _, ok := NextFrame(req.Buf[:c.N])
	if !ok || !bytes.Equal(f, frame(n.MAC(), HostMAC(2, 0), 0, 1000)) {
		t.Errorf("NextFrame() = %d bytes, %v; want the frame", len(f), ok)
	}
}

func TestOptionsRejected(t *testing.T) {
	cases := map[string]Options{
		"MTU too small":  {MTU: 67},
		"MTU too big":    {MTU: MaxMTU + 1},
		"slow":           {SpeedBps: 999},
		"huge ring":      {RxRing: MaxRxRing + 1},
		"group address":  {MAC: Broadcast},
		"negative DMA":   {DMABytesPerSec: -1},
		"negative ring":  {RxRing: -1},
		"negative speed": {SpeedBps: -5},
	}
	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := New(o); err == nil {
				t.Errorf("New(%+v) = nil error, want one", o)
			}
		})
	}
}
