package ostepfs

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestDiskMkosKeepsScriptOutput shows --mkos leaves the script's output
// and status unchanged, its note after it, on passing and failing runs.
func TestDiskMkosKeepsScriptOutput(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		note bool
	}{
		{"fifo", []string{"-a", "0,11,23,12", "-c"}, true},
		{"sstf", []string{"-a", "7,30,8", "-p", "SSTF", "-c"}, true},
		{"satf-random", []string{"-s", "3", "-A", "6,-1,0", "-p", "SATF"}, true},
		{"late", []string{"-s", "1", "-A", "4,-1,0", "-L", "4,-1,0", "-p", "SATF", "-c"}, true},
		{"zoning", []string{"-z", "360,180,90", "-a", "0,1,2,3,4,5", "-c"}, true},
		{"no-requests", []string{"-A", "0,-1,0", "-c"}, true},
		{"out-of-range", []string{"-a", "70", "-c"}, false},
		{"window0", []string{"-w", "0", "-c"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var plain, with bytes.Buffer
			st := Disk(c.args, &plain, io.Discard)
			stm := Disk(append(slices.Clone(c.args), "--mkos"), &with, io.Discard)
			if stm != st {
				t.Errorf("Disk(--mkos) status = %d, want %d", stm, st)
			}
			rest, ok := bytes.CutPrefix(with.Bytes(), plain.Bytes())
			if !ok {
				t.Fatalf("Disk(--mkos) output does not start with the script's:\n%s\nwant prefix\n%s", with.String(), plain.String())
			}
			if got := strings.HasPrefix(string(rest), "mkos (--mkos):"); got != c.note {
				t.Errorf("note after the script's output = %v, want %v (%q)", got, c.note, rest)
			}
		})
	}
}

// TestDiskMkosOrder shows the replay's order is the driver scheduler's:
// FIFO serves the list in its order, SSTF the nearest block first.
func TestDiskMkosOrder(t *testing.T) {
	lay, err := layoutDisk("30,30,30", 0, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, sched string
		blocks      []int64
		want        []int
	}{
		{"fifo", "fifo", []int64{7, 30, 8}, []int{0, 1, 2}},
		{"fifo-far-first", "fifo", []int64{35, 0, 20, 6, 34}, []int{0, 1, 2, 3, 4}},
		// The head is at block 6 after the warm-up read: 7, then 8, then 30.
		{"sstf", "sstf", []int64{7, 30, 8}, []int{0, 2, 1}},
		{"sstf-far-first", "sstf", []int64{35, 0, 20, 6, 34}, []int{3, 1, 2, 4, 0}},
		{"sstf-duplicates", "sstf", []int64{30, 7, 30}, []int{1, 0, 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			served, err := diskMkosRun(lay, c.blocks, c.sched)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			prevDone := int64(0)
			for _, s := range served {
				got = append(got, s.index)
				if s.startNs < prevDone {
					t.Errorf("request %d starts at %d, before the previous one is done at %d", s.index, s.startNs, prevDone)
				}
				if s.xferNs <= 0 {
					t.Errorf("request %d: transfer = %d, want > 0", s.index, s.xferNs)
				}
				prevDone = s.doneNs
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("diskMkosRun(%v, %s) order = %v, want %v", c.blocks, c.sched, got, c.want)
			}
		})
	}
}

// TestDiskMkosBlock shows the mapping keeps the track and the angle's
// slot: identity with the default zoning, 12 slots per track otherwise.
func TestDiskMkosBlock(t *testing.T) {
	for _, c := range []struct {
		name, zoning string
		blocks, want []int64
	}{
		{"default", "30,30,30", []int64{0, 11, 12, 35}, []int64{0, 11, 12, 35}},
		{"zoned", "10,20,30", []int64{0, 3, 35, 36, 53, 54, 65}, []int64{0, 1, 11, 12, 23, 24, 35}},
		{"big", "360,180,90", []int64{0, 1, 2, 3, 6}, []int64{0, 12, 18, 24, 33}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lay, err := layoutDisk(c.zoning, 0, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, b := range c.blocks {
				got = append(got, diskMkosBlock(lay, b))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("diskMkosBlock(%v) = %v, want %v", c.blocks, got, c.want)
			}
		})
	}
}
