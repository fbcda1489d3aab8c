package hw

import (
	"testing"

	"github.com/mkos/mkos/ipc"
)

// FuzzDevice programs a card as a buggy or hostile driver would, with
// operations made of the fuzzer's bytes — any op, any length, any buffer,
// Finish called or not — while frames arrive. The kernel calls the card
// inside its own code, so a panic here would be a kernel panic: none may
// happen, and the card's ring and counters must stay sane.
//
//	go test ./drivers/nic/hw -run '^$' -fuzz FuzzDevice -fuzztime 20s
func FuzzDevice(f *testing.F) {
	f.Add([]byte{1, 60, 64, 1, 2, 0, 255, 1, 3, 40})
	f.Add([]byte{2, 0, 0, 0, 1, 200, 10, 1, 2, 1, 2, 1})
	f.Add([]byte{4, 0, 2, 0, 3, 255, 255, 9, 9, 9})
	f.Fuzz(func(t *testing.T, prog []byte) {
		n, err := New(Options{MAC: HostMAC(1, 0), RxRing: 4})
		if err != nil {
			t.Fatal(err)
		}
		var now int64
		var req, started ipc.DevRequest
		for len(prog) >= 3 {
			op, a, b := prog[0], prog[1], prog[2]
			prog = prog[3:]
			now += int64(a)
			switch op % 5 {
			case 0: // a frame arrives, a to b bytes long
				fr := make([]byte, int(a)*8+int(b))
				copy(fr, n.MAC().String())
				if b&1 == 0 {
					m := n.MAC()
					copy(fr, m[:])
				}
				n.deliver(now, fr)
			case 1, 2: // a driver starts something
				req = ipc.DevRequest{Op: uint16(b % 5), Arg: [4]int64{int64(int8(a)) * 37}, Buf: make([]byte, int(b)*16)}
				if done, e := n.Start(now, &req); e == 0 {
					if done < now {
						t.Fatalf("Start() = %d, before now %d", done, now)
					}
					started, now = req, done
				}
			case 3: // the kernel finishes it (or a confused caller finishes nothing)
				c := n.Finish(now, &req)
				if c.N < 0 || c.N > len(started.Buf) {
					t.Fatalf("Finish() moved %d bytes into a %d-byte buffer", c.N, len(started.Buf))
				}
			case 4:
				n.SetLink(a&1 == 0)
			}
			if n.Pending() > 4 {
				t.Fatalf("Pending() = %d past the ring of 4", n.Pending())
			}
		}
		s := n.Stats()
		for _, v := range []int64{s.TxFrames, s.TxBytes, s.TxErrors, s.RxFrames, s.RxBytes, s.RxDropped, s.RxFiltered, s.RxRead} {
			if v < 0 {
				t.Fatalf("Stats() = %+v: a negative counter", s)
			}
		}
	})
}
