package netstack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"runtime"
	"testing"
)

// transferTrace runs a 256 KiB transfer over a lossy wire and returns the
// wire's trace bytes.
func transferTrace(t *testing.T, seed uint64, lossPct int) (*wire, []byte) {
	t.Helper()
	w := newWire(t, 2, seed, lossPct)
	x := newTransfer(t, w, 256<<10, seed)
	w.run(600e9, x.step)
	if !bytes.Equal(x.got, x.data) {
		t.Fatalf("received %d bytes, want the %d sent intact", len(x.got), len(x.data))
	}
	return w, w.traceBytes()
}

// TestSameSeedSameTrace: the same seed gives the byte-identical sequence of
// (time, sender, frame) whatever GOMAXPROCS is, with and without loss.
func TestSameSeedSameTrace(t *testing.T) {
	cases := []struct {
		name    string
		lossPct int
	}{
		{"clean", 0},
		{"5% loss", 5},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ref []byte
			for run, procs := range []int{1, 2, 1, 2, 4} {
				runtime.GOMAXPROCS(procs)
				_, got := transferTrace(t, 42, c.lossPct)
				if run == 0 {
					ref = got
					continue
				}
				if !bytes.Equal(got, ref) {
					t.Fatalf("run %d (GOMAXPROCS=%d): trace of %d bytes differs from run 0's %d bytes at byte %d",
						run, procs, len(got), len(ref), firstDiff(got, ref))
				}
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// synISN returns the sequence number of the first TCP SYN on the wire.
func synISN(t *testing.T, w *wire) uint32 {
	t.Helper()
	for _, tr := range w.trace {
		f := tr.frame
		if len(f) < 14+20+20 || binary.BigEndian.Uint16(f[12:]) != 0x0800 || f[14+9] != 6 {
			continue
		}
		tcpHdr := f[14+int(f[14]&0xf)*4:]
		if tcpHdr[13]&0x02 != 0 { // SYN
			return binary.BigEndian.Uint32(tcpHdr[4:])
		}
	}
	t.Fatalf("no SYN on the wire")
	return 0
}

// TestSeedChangesISN: different seeds give different initial sequence
// numbers (and so different traces); equal seeds the same.
func TestSeedChangesISN(t *testing.T) {
	w1, tr1 := transferTrace(t, 1, 0)
	w2, tr2 := transferTrace(t, 2, 0)
	w3, _ := transferTrace(t, 1, 0)
	if a, b := synISN(t, w1), synISN(t, w2); a == b {
		t.Fatalf("ISN(seed 1) = ISN(seed 2) = %#x, want them to differ", a)
	}
	if a, b := synISN(t, w1), synISN(t, w3); a != b {
		t.Fatalf("ISN(seed 1) = %#x then %#x, want equal", a, b)
	}
	if bytes.Equal(tr1, tr2) {
		t.Fatalf("traces of seeds 1 and 2 are equal, want them to differ")
	}
}

// loopbackTrace runs a 256 KiB transfer over 127.0.0.1 with probing on and
// returns the probe log as text: loopback traffic never reaches the wire,
// so the sender's state after every segment is what must repeat.
func loopbackTrace(t *testing.T, seed uint64) string {
	t.Helper()
	w := newWire(t, 1, seed, 0)
	s := w.stacks[0]
	s.SetProbing(true)
	x := newTransferTo(t, s, s, netip.MustParseAddrPort("127.0.0.1:80"), 256<<10, seed)
	w.run(600e9, x.step)
	if !bytes.Equal(x.got, x.data) {
		t.Fatalf("received %d bytes, want the %d sent intact", len(x.got), len(x.data))
	}
	log, _ := s.Probes()
	if len(log) == 0 {
		t.Fatalf("no probes on the loopback transfer")
	}
	return fmt.Sprint(log)
}

// TestLoopbackSameSeedSameProbes: loopback traffic repeats exactly too,
// whatever GOMAXPROCS is.
func TestLoopbackSameSeedSameProbes(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var ref string
	for run, procs := range []int{1, 2, 1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		got := loopbackTrace(t, 9)
		if run == 0 {
			ref = got
			continue
		}
		if got != ref {
			t.Fatalf("run %d (GOMAXPROCS=%d): probe log differs from run 0's at byte %d",
				run, procs, firstDiff([]byte(got), []byte(ref)))
		}
	}
}

// manyTrace runs three concurrent transfers between two hosts (5% loss),
// then closes a listener holding three connections not yet accepted and
// resets the client host, and returns the wire's trace: several endpoints
// busy at once, and calls that reset several at once.
func manyTrace(t *testing.T, seed uint64) []byte {
	t.Helper()
	w := newWire(t, 2, seed, 5)
	a, b := w.stacks[0], w.stacks[1]
	var xs []*transfer
	for i := range 3 {
		xs = append(xs, newTransferTo(t, a, b, hostAddr(2, uint16(80+i)), 64<<10, seed+uint64(i)))
	}
	w.run(600e9, func() bool {
		done := true
		for _, x := range xs {
			done = x.step() && done
		}
		return done
	})
	for _, x := range xs {
		if !bytes.Equal(x.got, x.data) {
			t.Fatalf("received %d bytes, want the %d sent intact", len(x.got), len(x.data))
		}
	}
	lis := listen(t, b, 90)
	var clis []Sock
	for range 3 {
		c := mustSock(t, a, IPv4, TCP)
		a.Connect(c, hostAddr(2, 90))
		clis = append(clis, c)
	}
	w.run(60e9, func() bool { return b.Ready(lis)&EventIn != 0 && a.Ready(clis[2])&EventOut != 0 })
	b.Close(lis)
	a.Reset()
	for w.step() {
	}
	return w.traceBytes()
}

// TestManyConnectionsSameTrace: concurrent connections and mass resets
// repeat exactly whatever GOMAXPROCS is.
func TestManyConnectionsSameTrace(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var ref []byte
	for run, procs := range []int{1, 2, 4, 2} {
		runtime.GOMAXPROCS(procs)
		got := manyTrace(t, 31)
		if run == 0 {
			ref = got
			continue
		}
		if !bytes.Equal(got, ref) {
			t.Fatalf("run %d (GOMAXPROCS=%d): trace of %d bytes differs from run 0's %d bytes at byte %d",
				run, procs, len(got), len(ref), firstDiff(got, ref))
		}
	}
}
