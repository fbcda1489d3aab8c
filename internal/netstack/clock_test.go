package netstack

import (
	"slices"
	"testing"
	"time"
)

func TestClockFiresInDeadlineThenArmOrder(t *testing.T) {
	c := NewClock(0)
	var got []string
	rec := func(name string) func() { return func() { got = append(got, name) } }
	c.AfterFunc(2*time.Millisecond, rec("b@2"))
	c.AfterFunc(time.Millisecond, rec("a@1"))
	c.AfterFunc(2*time.Millisecond, rec("c@2"))
	c.AfterFunc(0, rec("z@0"))
	c.AfterFunc(-time.Second, rec("neg@0"))
	c.AfterFunc(3*time.Millisecond, rec("d@3"))
	if n := c.Fire(int64(2 * time.Millisecond)); n != 5 {
		t.Fatalf("Fire(2ms) = %d, want 5", n)
	}
	if want := []string{"z@0", "neg@0", "a@1", "b@2", "c@2"}; !slices.Equal(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if at, ok := c.NextTimer(); !ok || at != int64(3*time.Millisecond) {
		t.Fatalf("NextTimer() = %d, %v, want 3ms, true", at, ok)
	}
}

func TestClockTimerStopReset(t *testing.T) {
	cases := []struct {
		name string
		// do arms and manipulates a timer; the test then fires at 10ms.
		do       func(c *Clock, f func()) (stopResult []bool)
		wantRuns int
		wantStop []bool
	}{
		{"stop armed", func(c *Clock, f func()) []bool {
			tm := c.AfterFunc(time.Millisecond, f)
			return []bool{tm.Stop(), tm.Stop()}
		}, 0, []bool{true, false}},
		{"reset armed later than fire", func(c *Clock, f func()) []bool {
			tm := c.AfterFunc(time.Millisecond, f)
			tm.Reset(20 * time.Millisecond)
			return nil
		}, 0, nil},
		{"reset stopped", func(c *Clock, f func()) []bool {
			tm := c.AfterFunc(time.Millisecond, f)
			s := tm.Stop()
			tm.Reset(2 * time.Millisecond)
			return []bool{s}
		}, 1, []bool{true}},
		{"reset after firing runs again", func(c *Clock, f func()) []bool {
			tm := c.AfterFunc(time.Millisecond, f)
			c.Fire(int64(time.Millisecond))
			s := tm.Stop()
			tm.Reset(time.Millisecond)
			return []bool{s}
		}, 2, []bool{false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewClock(0)
			runs := 0
			stops := tc.do(c, func() { runs++ })
			c.Fire(int64(10 * time.Millisecond))
			if runs != tc.wantRuns {
				t.Fatalf("runs = %d, want %d", runs, tc.wantRuns)
			}
			if !slices.Equal(stops, tc.wantStop) {
				t.Fatalf("Stop() results = %v, want %v", stops, tc.wantStop)
			}
		})
	}
}

func TestClockCallbackTimeAndChaining(t *testing.T) {
	c := NewClock(0)
	var seen []int64
	c.AfterFunc(time.Millisecond, func() {
		seen = append(seen, c.NowNanoseconds())
		// A zero-delay timer armed by a callback runs in the same Fire.
		c.AfterFunc(0, func() { seen = append(seen, c.NowNanoseconds()) })
		// One past the Fire's time waits for the next.
		c.AfterFunc(time.Hour, func() { seen = append(seen, -1) })
	})
	c.Fire(int64(5 * time.Millisecond))
	if want := []int64{1e6, 1e6}; !slices.Equal(seen, want) {
		t.Fatalf("times seen = %v, want %v", seen, want)
	}
	if got := c.NowNanoseconds(); got != 5e6 {
		t.Fatalf("NowNanoseconds() = %d, want 5e6", got)
	}
	c.SetNow(1)
	if got := c.NowNanoseconds(); got != 5e6 {
		t.Fatalf("NowNanoseconds() after SetNow(1) = %d, want 5e6 (time never goes back)", got)
	}
	if got := c.NowMonotonic().Sub(NewClock(0).NowMonotonic()); got != 5*time.Millisecond {
		t.Fatalf("NowMonotonic() - zero = %v, want 5ms", got)
	}
	if got := c.Now().UnixNano(); got != 5e6 {
		t.Fatalf("Now().UnixNano() = %d, want 5e6", got)
	}
	if c.Pending() != 1 {
		t.Fatalf("Pending() = %d, want 1", c.Pending())
	}
}

func TestSecureRNGSeeded(t *testing.T) {
	read := func(seed uint64) []byte {
		b := make([]byte, 32)
		if n, err := NewSecureRNG(seed).Read(b); n != 32 || err != nil {
			t.Fatalf("Read() = %d, %v, want 32, nil", n, err)
		}
		return b
	}
	if a, b := read(7), read(7); !slices.Equal(a, b) {
		t.Fatalf("seed 7 twice: %x then %x, want equal", a, b)
	}
	if a, b := read(7), read(8); slices.Equal(a, b) {
		t.Fatalf("seeds 7 and 8 both give %x, want different", a)
	}
}
