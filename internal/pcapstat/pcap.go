package pcapstat

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// The pcap file format (https://www.tcpdump.org/manpages/pcap-savefile.5.html):
// a 24-byte file header, then records of a 16-byte header and the
// captured bytes.
const (
	magicMicro     = 0xa1b2c3d4 // timestamps in microseconds
	magicNano      = 0xa1b23c4d // timestamps in nanoseconds
	fileHeaderLen  = 24
	recordHeadLen  = 16
	LinkEthernet   = 1   // LINKTYPE_ETHERNET: frames begin with a 14-byte Ethernet header
	LinkRaw        = 101 // LINKTYPE_RAW: packets begin with the IP header
	maxRecordBytes = 1 << 18
)

// Packet is one captured packet: its time in nanoseconds and its bytes
// from the IP header on.
type Packet struct {
	TimeNs int64
	IP     []byte
}

// ReadPackets reads a pcap file and returns its IPv4 packets (others are
// skipped) in the order of their timestamps: a capture merged from
// several machines' stepping may write a later frame first. A truncated
// last record is an error naming its offset.
func ReadPackets(r io.Reader) ([]Packet, error) {
	var fh [fileHeaderLen]byte
	if _, err := io.ReadFull(r, fh[:]); err != nil {
		return nil, fmt.Errorf("pcap file header: %w", err)
	}
	order, nano, err := byteOrder(fh[:4])
	if err != nil {
		return nil, err
	}
	link := order.Uint32(fh[20:])
	if link != LinkEthernet && link != LinkRaw {
		return nil, fmt.Errorf("pcap link type %d: only Ethernet (1) and raw IP (101) are read", link)
	}
	var out []Packet
	off := int64(fileHeaderLen)
	for {
		var rh [recordHeadLen]byte
		if _, err := io.ReadFull(r, rh[:]); err == io.EOF {
			slices.SortStableFunc(out, func(a, b Packet) int { return cmp.Compare(a.TimeNs, b.TimeNs) })
			return out, nil
		} else if err != nil {
			return out, fmt.Errorf("pcap record at byte %d: %w", off, err)
		}
		sec, frac, incl := order.Uint32(rh[0:]), order.Uint32(rh[4:]), order.Uint32(rh[8:])
		if incl > maxRecordBytes {
			return out, fmt.Errorf("pcap record at byte %d: length %d too large", off, incl)
		}
		data := make([]byte, incl)
		if _, err := io.ReadFull(r, data); err != nil {
			return out, fmt.Errorf("pcap record at byte %d: %w", off, err)
		}
		off += recordHeadLen + int64(incl)
		t := int64(sec) * 1e9
		if nano {
			t += int64(frac)
		} else {
			t += int64(frac) * 1e3
		}
		if ip, ok := ipv4(data, link); ok {
			out = append(out, Packet{TimeNs: t, IP: ip})
		}
	}
}

// byteOrder tells the file's byte order and timestamp unit from its
// magic number.
func byteOrder(magic []byte) (binary.ByteOrder, bool, error) {
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		switch o.Uint32(magic) {
		case magicMicro:
			return o, false, nil
		case magicNano:
			return o, true, nil
		}
	}
	return nil, false, errors.New("not a pcap file (bad magic number)")
}

// ipv4 returns the IPv4 packet inside a captured frame.
func ipv4(data []byte, link uint32) ([]byte, bool) {
	if link == LinkEthernet {
		if len(data) < 14 || binary.BigEndian.Uint16(data[12:]) != 0x0800 {
			return nil, false
		}
		data = data[14:]
	}
	if len(data) < 20 || data[0]>>4 != 4 {
		return nil, false
	}
	return data, true
}

// WriteHeader writes a pcap file header (nanosecond timestamps) for link
// type link: for tests and tools that make captures.
func WriteHeader(w io.Writer, link uint32) error {
	var h [fileHeaderLen]byte
	binary.LittleEndian.PutUint32(h[0:], magicNano)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], 65535)
	binary.LittleEndian.PutUint32(h[20:], link)
	_, err := w.Write(h[:])
	return err
}

// WriteRecord writes one record of a nanosecond pcap file.
func WriteRecord(w io.Writer, timeNs int64, data []byte) error {
	var h [recordHeadLen]byte
	binary.LittleEndian.PutUint32(h[0:], uint32(timeNs/1e9))
	binary.LittleEndian.PutUint32(h[4:], uint32(timeNs%1e9))
	binary.LittleEndian.PutUint32(h[8:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[12:], uint32(len(data)))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}
