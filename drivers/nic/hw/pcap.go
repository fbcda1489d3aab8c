package hw

import (
	"encoding/binary"
	"fmt"
	"io"
)

// The classic pcap file format (libpcap's, which tcpdump and Wireshark
// read): a 24-byte file header, then per frame a 16-byte record header and
// the frame's bytes. mkos writes it little-endian.
const (
	// PcapMagicMicro is the magic of a file with microsecond timestamps.
	PcapMagicMicro = 0xa1b2c3d4
	// PcapMagicNano is the magic of a file with nanosecond timestamps.
	PcapMagicNano = 0xa1b23c4d
	// LinkTypeEthernet is LINKTYPE_ETHERNET: frames start with the
	// Ethernet header.
	LinkTypeEthernet = 1
	// PcapSnapLen is the longest frame part a record keeps.
	PcapSnapLen = 65535
	// pcapHeaderSize and pcapRecordSize are the two headers' sizes.
	pcapHeaderSize = 24
	pcapRecordSize = 16
)

// Pcap writes frames to a pcap file. Its timestamps are VIRTUAL time: the
// nanoseconds since the simulated machines booted, as seconds since the
// Unix epoch (so a capture starts on 1 January 1970). The switch records a
// frame when its last bit has left the sending card — when it enters the
// switch, before any loss: a lost frame is in the capture, as a capture
// at the sender would show it.
type Pcap struct {
	w      io.Writer
	nano   bool
	buf    []byte
	frames int64
	err    error
}

// NewPcap writes the file header to w and returns a writer of records,
// with nanosecond timestamps when nano is set, microseconds otherwise.
func NewPcap(w io.Writer, nano bool) (*Pcap, error) {
	magic := uint32(PcapMagicMicro)
	if nano {
		magic = PcapMagicNano
	}
	h := make([]byte, pcapHeaderSize)
	binary.LittleEndian.PutUint32(h[0:], magic)
	binary.LittleEndian.PutUint16(h[4:], 2) // version 2.4
	binary.LittleEndian.PutUint16(h[6:], 4)
	// h[8:16]: the time zone and the timestamps' accuracy, both 0.
	binary.LittleEndian.PutUint32(h[16:], PcapSnapLen)
	binary.LittleEndian.PutUint32(h[20:], LinkTypeEthernet)
	if _, err := w.Write(h); err != nil {
		return nil, fmt.Errorf("pcap: header: %w", err)
	}
	return &Pcap{w: w, nano: nano}, nil
}

// Record writes frame as seen at virtual time atNs. After a write error it
// writes nothing more; Err returns the error.
func (p *Pcap) Record(atNs int64, frame []byte) {
	if p.err != nil {
		return
	}
	kept := frame[:min(len(frame), PcapSnapLen)]
	sub := atNs % 1_000_000_000
	if !p.nano {
		sub /= 1000
	}
	p.buf = p.buf[:0]
	p.buf = binary.LittleEndian.AppendUint32(p.buf, uint32(atNs/1_000_000_000))
	p.buf = binary.LittleEndian.AppendUint32(p.buf, uint32(sub))
	p.buf = binary.LittleEndian.AppendUint32(p.buf, uint32(len(kept)))
	p.buf = binary.LittleEndian.AppendUint32(p.buf, uint32(len(frame)))
	p.buf = append(p.buf, kept...)
	if _, err := p.w.Write(p.buf); err != nil {
		p.err = fmt.Errorf("pcap: frame %d: %w", p.frames+1, err)
		return
	}
	p.frames++
}

// Frames returns the number of frames written.
func (p *Pcap) Frames() int64 { return p.frames }

// Err returns the first write error, or nil.
func (p *Pcap) Err() error { return p.err }
