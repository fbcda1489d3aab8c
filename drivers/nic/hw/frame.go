package hw

import (
	"fmt"
	"strconv"
	"strings"
)

// Ethernet sizes, in bytes. A frame here is what the driver hands the card
// and what pcap records: destination, source, EtherType, payload — no
// preamble and no frame check sequence, which the card adds on the wire.
const (
	// HeaderSize is the Ethernet header: two addresses and the EtherType.
	HeaderSize = 14
	// MinFrame is the shortest frame on the wire without its check
	// sequence; a shorter one is padded there (and timed as MinFrame).
	MinFrame = 60
	// DefaultMTU is the largest payload a frame carries by default.
	DefaultMTU = 1500
	// MaxMTU bounds the MTU a card accepts (a jumbo frame).
	MaxMTU = 9000
	// wireOverhead is what the card adds to a frame on the wire: the
	// preamble and start delimiter (8), the check sequence (4) and the
	// inter-frame gap (12).
	wireOverhead = 24
)

// MAC is an Ethernet address.
type MAC [6]byte

// Broadcast is the all-ones address.
var Broadcast = MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// String writes the address as six hex pairs joined by colons.
func (m MAC) String() string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// IsGroup reports whether the address is a multicast or broadcast one (its
// I/G bit is set): a switch floods such frames.
func (m MAC) IsGroup() bool { return m[0]&1 != 0 }

// Uint64 returns the address as the low 48 bits of a word, first byte
// highest: how a protocol reply carries it.
func (m MAC) Uint64() uint64 {
	var v uint64
	for _, b := range m {
		v = v<<8 | uint64(b)
	}
	return v
}

// MACFrom is the inverse of Uint64; bits above the low 48 are ignored.
func MACFrom(v uint64) MAC {
	var m MAC
	for i := 5; i >= 0; i-- {
		m[i] = byte(v)
		v >>= 8
	}
	return m
}

// ParseMAC reads six hex pairs joined by colons or dashes.
func ParseMAC(s string) (MAC, error) {
	var m MAC
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' })
	if len(parts) != 6 {
		return m, fmt.Errorf("MAC address %q: want six hex pairs joined by colons", s)
	}
	for i, p := range parts {
		v, err := strconv.ParseUint(p, 16, 8)
		if err != nil || len(p) != 2 {
			return m, fmt.Errorf("MAC address %q: %q is not a hex pair", s, p)
		}
		m[i] = byte(v)
	}
	return m, nil
}

// HostMAC is the address mkos gives machine i's card n by default: a
// locally administered unicast address (02:…) that names both.
func HostMAC(machine, card int) MAC {
	return MAC{0x02, 0x6d, 0x6b, byte(machine >> 8), byte(machine), byte(card)}
}

// DstOf returns a frame's destination address; ok is false for a frame
// shorter than a header.
func DstOf(frame []byte) (m MAC, ok bool) {
	if len(frame) < HeaderSize {
		return m, false
	}
	copy(m[:], frame[0:6])
	return m, true
}

// SrcOf returns a frame's source address; ok is false for a frame shorter
// than a header.
func SrcOf(frame []byte) (m MAC, ok bool) {
	if len(frame) < HeaderSize {
		return m, false
	}
	copy(m[:], frame[6:12])
	return m, true
}

// wireTimeNs is how long a frame of n bytes takes to serialize at
// speedBps bits per second, with padding and the card's overhead.
func wireTimeNs(n int, speedBps int64) int64 {
	bits := int64(max(n, MinFrame)+wireOverhead) * 8
	return (bits*1_000_000_000 + speedBps - 1) / speedBps
}
