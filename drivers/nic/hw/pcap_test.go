package hw

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pcapRecord is one record a tiny reader of the format found.
type pcapRecord struct {
	sec, sub   uint32
	incl, orig uint32
	data       []byte
}

// readPcap parses a classic little-endian pcap file: it checks the header
// and returns the magic, the link type and the records.
func readPcap(t *testing.T, b []byte) (magic, linkType uint32, recs []pcapRecord) {
	t.Helper()
	if len(b) < 24 {
		t.Fatalf("file of %d bytes has no header", len(b))
	}
	le := binary.LittleEndian
	magic, linkType = le.Uint32(b), le.Uint32(b[20:])
	if major, minor := le.Uint16(b[4:]), le.Uint16(b[6:]); major != 2 || minor != 4 {
		t.Errorf("version = %d.%d, want 2.4", major, minor)
	}
	if snap := le.Uint32(b[16:]); snap != PcapSnapLen {
		t.Errorf("snaplen = %d, want %d", snap, PcapSnapLen)
	}
	for b = b[24:]; len(b) > 0; {
		if len(b) < 16 {
			t.Fatalf("a record header cut short: %d bytes", len(b))
		}
		r := pcapRecord{sec: le.Uint32(b), sub: le.Uint32(b[4:]), incl: le.Uint32(b[8:]), orig: le.Uint32(b[12:])}
		if int(r.incl) > len(b)-16 || r.incl > r.orig {
			t.Fatalf("record %d: length %d (orig %d) past the file's %d bytes", len(recs), r.incl, r.orig, len(b)-16)
		}
		r.data = b[16 : 16+r.incl]
		b = b[16+r.incl:]
		recs = append(recs, r)
	}
	return magic, linkType, recs
}

func TestPcapRecordsTheWire(t *testing.T) {
	for _, c := range []struct {
		name  string
		nano  bool
		magic uint32
		unit  int64
	}{{"nanoseconds", true, PcapMagicNano, 1}, {"microseconds", false, PcapMagicMicro, 1000}} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			p, err := NewPcap(&buf, c.nano)
			if err != nil {
				t.Fatal(err)
			}
			l, _, cards := wired(t, 2, SwitchOptions{Pcap: p, Link: Link{Loss: 1}})
			f1 := frame(cards[1].MAC(), cards[0].MAC(), 1, 1514)
			f2 := frame(cards[0].MAC(), cards[1].MAC(), 2, 60)
			l.sendAll(t, cards[0], 1_999_999_000, [][]byte{f1})
			l.sendAll(t, cards[1], 1_999_999_000, [][]byte{f2})
			l.run()
			magic, lt, recs := readPcap(t, buf.Bytes())
			if magic != c.magic || lt != LinkTypeEthernet {
				t.Errorf("magic, link type = %#x, %d; want %#x, 1", magic, lt, c.magic)
			}
			// Both frames are recorded though the link loses them, at the
			// time their last bit left the card: 60 bytes take 672 ns,
			// 1514 bytes 12304 ns.
			want := []struct {
				atNs int64
				data []byte
			}{{1_999_999_672, f2}, {2_000_011_304, f1}}
			if len(recs) != len(want) || p.Frames() != 2 {
				t.Fatalf("%d records (Frames %d), want 2", len(recs), p.Frames())
			}
			for i, w := range want {
				r := recs[i]
				if int64(r.sec) != w.atNs/1e9 || int64(r.sub) != w.atNs%1e9/c.unit || !bytes.Equal(r.data, w.data) || int(r.orig) != len(w.data) {
					t.Errorf("record %d = %d.%d, %d bytes; want %d ns, %d bytes", i, r.sec, r.sub, len(r.data), w.atNs, len(w.data))
				}
			}
		})
	}
}

// failing fails every write after the first n.
type failing struct{ n int }

func (f *failing) Write(b []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("disk full")
	}
	f.n--
	return len(b), nil
}

func TestPcapWriteError(t *testing.T) {
	if _, err := NewPcap(&failing{}, true); err == nil {
		t.Error("NewPcap() on a failing writer = nil, want an error")
	}
	p, err := NewPcap(&failing{n: 2}, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		p.Record(int64(i), make([]byte, 60))
	}
	if p.Err() == nil || p.Frames() != 1 {
		t.Errorf("Err(), Frames() = %v, %d; want an error after 1 frame", p.Err(), p.Frames())
	}
}

// TestPcapReadByTcpdump reads a capture with tcpdump, when the host has
// it (it is optional: the reader above checks the format everywhere).
func TestPcapReadByTcpdump(t *testing.T) {
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		t.Log("no tcpdump on this host: the format is checked by readPcap only")
		return
	}
	path := filepath.Join(t.TempDir(), "wire.pcap")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPcap(file, true)
	if err != nil {
		t.Fatal(err)
	}
	l, _, cards := wired(t, 2, SwitchOptions{Pcap: p})
	l.sendAll(t, cards[0], 1_500_000_000, [][]byte{frame(cards[1].MAC(), cards[0].MAC(), 1, 100), frame(Broadcast, cards[0].MAC(), 2, 60)})
	l.run()
	if err := file.Close(); err != nil || p.Err() != nil {
		t.Fatal(err, p.Err())
	}
	out, err := exec.Command(tcpdump, "-nn", "-e", "-tt", "--time-stamp-precision=nano", "-r", path).CombinedOutput()
	if err != nil {
		t.Fatalf("tcpdump -r: %v\n%s", err, out)
	}
	// Sent back to back from 1.5 s: 100 bytes take 992 ns, 60 bytes 672.
	for _, want := range []string{
		"1.500000992 02:6d:6b:00:00:00 > 02:6d:6b:00:01:00, ethertype Unknown (0x88b5), length 100",
		"1.500001664 02:6d:6b:00:00:00 > ff:ff:ff:ff:ff:ff, ethertype Unknown (0x88b5), length 60",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("tcpdump printed:\n%s\nwant a line with %q", out, want)
		}
	}
}
