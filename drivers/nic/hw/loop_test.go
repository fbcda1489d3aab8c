package hw

import (
	"encoding/binary"
	"testing"

	"github.com/mkos/mkos/ipc"
)

// loop is a tiny stand-in for the kernels of a group in these tests: one
// queue of events ordered by (time, sequence), which it runs in order. It
// drives the cards as the kernel does: Start, then Finish at the time
// Start returned.
type loop struct {
	now  int64
	seq  int
	evs  []event
	ring map[*NIC][]received // what each card's driver read, in order
	drvs []*drv
}

type event struct {
	at  int64
	seq int
	f   func(now int64)
}

// received is a frame a card's driver read, and when its interrupt came.
type received struct {
	atNs  int64
	frame []byte
}

func newLoop() *loop { return &loop{ring: map[*NIC][]received{}} }

// Post queues f at time at; the kernel index does not matter here.
func (l *loop) Post(_ int, at int64, f func(now int64)) {
	l.seq++
	l.evs = append(l.evs, event{at, l.seq, f})
}

// Schedule is Post on the one kernel.
func (l *loop) Schedule(at int64, f func(now int64)) { l.Post(0, at, f) }

// run runs every event in order.
func (l *loop) run() {
	for len(l.evs) > 0 {
		best := 0
		for i, e := range l.evs {
			if e.at < l.evs[best].at || e.at == l.evs[best].at && e.seq < l.evs[best].seq {
				best = i
			}
		}
		e := l.evs[best]
		l.evs = append(l.evs[:best], l.evs[best+1:]...)
		l.now = max(l.now, e.at)
		e.f(l.now)
	}
}

// drv is a minimal driver of one card, as the kernel runs one: one
// operation on the card at a time, a receive first when the interrupt
// said frames wait, else the next send.
type drv struct {
	t      *testing.T
	l      *loop
	n      *NIC
	busy   bool
	rx     bool
	sends  [][]byte
	onSent func(now int64)
}

// drain makes n's interrupt read its ring into l.ring, and returns the
// driver, which sendAll uses too.
func (l *loop) drain(t *testing.T, n *NIC) *drv {
	d := &drv{t: t, l: l, n: n}
	l.drvs = append(l.drvs, d)
	n.OnReceive = func(now int64) { d.rx = true; d.kick(now) }
	return d
}

// kick starts the next operation if the card is free.
func (d *drv) kick(now int64) {
	if d.busy {
		return
	}
	if d.rx {
		d.rx = false
		buf := make([]byte, 64<<10)
		req := ipc.DevRequest{Op: OpRecv, Buf: buf}
		at, e := d.n.Start(now, &req)
		if e != 0 {
			d.t.Errorf("%s: Start(recv) = %v, want 0", d.n.Name(), e)
			return
		}
		d.busy = true
		d.l.Post(0, at, func(now int64) {
			c := d.n.Finish(now, &req)
			for f, rest, ok := NextFrame(buf[:c.N]); ok; f, rest, ok = NextFrame(rest) {
				d.l.ring[d.n] = append(d.l.ring[d.n], received{now, append([]byte(nil), f...)})
			}
			d.busy = false
			d.rx = d.rx || d.n.Pending() > 0
			d.kick(now)
		})
		return
	}
	if len(d.sends) == 0 {
		return
	}
	f := d.sends[0]
	d.sends = d.sends[1:]
	req := ipc.DevRequest{Op: OpSend, Arg: [4]int64{int64(len(f))}, Buf: f}
	done, e := d.n.Start(now, &req)
	if e != 0 {
		d.t.Errorf("%s: Start(send) = %v, want 0", d.n.Name(), e)
		return
	}
	d.busy = true
	d.l.Post(0, done, func(now int64) {
		if c := d.n.Finish(now, &req); c.Errno != 0 {
			d.t.Errorf("%s: Finish(send) = %v, want 0", d.n.Name(), c.Errno)
		}
		d.busy = false
		d.kick(now)
	})
}

// sendAll queues frames on n's driver at time at: they go back to back.
func (l *loop) sendAll(t *testing.T, n *NIC, at int64, frames [][]byte) {
	var d *drv
	for _, x := range l.drvs {
		if x.n == n {
			d = x
		}
	}
	if d == nil {
		d = l.drain(t, n)
	}
	l.Post(0, at, func(now int64) {
		d.sends = append(d.sends, frames...)
		d.kick(now)
	})
}

// frame returns a frame from src to dst whose payload starts with the
// 4-byte sequence number seq, size bytes long in all.
func frame(dst, src MAC, seq uint32, size int) []byte {
	f := make([]byte, size)
	copy(f, dst[:])
	copy(f[6:], src[:])
	binary.BigEndian.PutUint16(f[12:], 0x88b5) // the local experimental EtherType
	binary.BigEndian.PutUint32(f[14:], seq)
	return f
}

// seqOf reads a frame's sequence number.
func seqOf(f []byte) uint32 { return binary.BigEndian.Uint32(f[14:]) }

// newCard returns card i with address HostMAC(i, 0), as o says otherwise.
func newCard(t *testing.T, i int, o Options) *NIC {
	t.Helper()
	o.MAC = HostMAC(i, 0)
	n, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v) = %v", o, err)
	}
	return n
}

// wired returns a loop, a switch as o says on it, and n cards attached,
// card i on kernel i, each drained by l.
func wired(t *testing.T, n int, o SwitchOptions) (*loop, *Switch, []*NIC) {
	t.Helper()
	l := newLoop()
	s, err := NewSwitch(l, o)
	if err != nil {
		t.Fatalf("NewSwitch() = %v", err)
	}
	var cards []*NIC
	for i := range n {
		c := newCard(t, i, Options{})
		if _, err := s.Attach(i, c); err != nil {
			t.Fatalf("Attach() = %v", err)
		}
		l.drain(t, c)
		cards = append(cards, c)
	}
	return l, s, cards
}
