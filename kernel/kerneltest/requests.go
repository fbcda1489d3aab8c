package kerneltest

import (
	"slices"

	"github.com/mkos/mkos/ipc"
)

// edges are the word values a hostile program tries first: the counts and
// offsets at and past every bound a decoder may have, and the values that
// a conversion to int makes negative.
var edges = []uint64{
	0, 1, 2, 3, 4, 7, 8, 16, 48, 64, 255, 256, 511, 512, 4095, 4096, 4097,
	ipc.MaxBulk - 1, ipc.MaxBulk, ipc.MaxBulk + 1, 1<<31 - 1, 1 << 31, 1<<32 - 1, 1 << 32,
	1 << 44, 1<<62 - 1, 1 << 62, 1<<63 - 1, 1 << 63, 1<<63 + 1, ^uint64(0) - 1, ^uint64(0),
}

// reqBytes is the size of one request in a program.
const reqBytes = 10

// Requests interprets prog as raw requests to the service name, as a
// hostile program makes them, and calls each with a timeout, so that one
// never answered does not stop the rest; requests of the types in avoid
// (a protocol's own "crash" request) are not sent. A request takes
// reqBytes bytes:
//
//	0     the type: 1 to types, or any 16-bit value when the byte is 255
//	1–6   the six payload words: an edge value (edges), the previous
//	      reply's word of that index (byte 254), or the low 7 bits of
//	      the byte when its top bit is set
//	7     Len; with its top bit set, Len is the low 7 bits and the
//	      request's 48 payload bytes follow the header raw (names
//	      inline, as streamproto's Open has them), replacing the words
//	8, 9  the sizes of the send and receive windows; the send window
//	      holds "/a/b" and then the program's own bytes (paths to parse)
func Requests(sys ipc.Sys, name string, types int, prog []byte, avoid ...ipc.Type) {
	dst, err := ipc.Dial(sys, name)
	if err != nil {
		return
	}
	pool := append([]byte("/a/b\x00/c/../d"), prog...)
	recv := make([]byte, 2*ipc.MaxBulk)
	var prev ipc.Message
	for len(prog) >= reqBytes {
		hdr := prog[:reqBytes]
		req := ipc.Message{Type: ipc.Type(1 + int(hdr[0])%max(types, 1))}
		prog = prog[reqBytes:]
		if hdr[0] == 255 {
			req.Type = ipc.Type(uint16(hdr[1])<<8 | uint16(hdr[2]))
		}
		if slices.Contains(avoid, req.Type) {
			continue
		}
		for i := range ipc.PayloadWords {
			req.SetWord(i, word(hdr[1+i], i, &prev))
		}
		req.Len = uint16(hdr[7])
		if hdr[7]&0x80 != 0 && len(prog) >= ipc.PayloadSize {
			req.Len = uint16(hdr[7] & 0x7f)
			copy(req.Payload[:], prog)
			prog = prog[ipc.PayloadSize:]
		}
		send := pool[:min(len(pool), int(hdr[8])*4)]
		if hdr[8] == 255 {
			send = make([]byte, ipc.MaxBulk+1)
		}
		x := &ipc.Extra{Send: send, Recv: recv[:int(hdr[9])*257], TimeoutNs: 50_000_000}
		var rep ipc.Message
		if sys.CallWith(dst, &req, &rep, x) == ipc.ErrHalted {
			return
		}
		prev = rep
	}
}

// word is the payload word a selector byte b picks for index i.
func word(b byte, i int, prev *ipc.Message) uint64 {
	switch {
	case b == 254:
		return prev.Word(i)
	case b&0x80 != 0:
		return uint64(b & 0x7f)
	}
	return edges[int(b)%len(edges)]
}

// Seeds returns a seed corpus for Requests against a protocol of types
// request types: each type alone with zero words, with the largest
// counts, with a path, and a chain that passes a reply's words on.
func Seeds(types int) [][]byte {
	var out [][]byte
	last := byte(len(edges) - 1)
	for t := range types {
		ty := byte(t)
		out = append(out,
			[]byte{ty, 0, 0, 0, 0, 0, 0, 0, 0, 1},
			[]byte{ty, last, last, last, last, last, last, 255, 255, 255},
			[]byte{ty, 5, 6, 8, 1, 2, 4, 4, 1, 16, ty, 254, 254, 254, 254, 254, 254, 0, 1, 16},
			[]byte{ty, 0x81, 0x84, 0x82, 0x80, 0x80, 0x84, 8, 3, 32, ty, 254, 0x90, 0x80, 0x80, 0x80, 0x84, 0, 3, 32},
		)
	}
	return out
}

// StreamSeeds returns seeds for Requests against a stream service
// (streamproto) whose streams include name: the stream opened, then
// reads and writes on the handle the open returned with each edge count
// (Word(1)), and an ioctl, a dup and a close.
func StreamSeeds(name string) [][]byte {
	open := []byte{0, 0, 0, 0, 0, 0, 0, byte(0x80 | (8 + len(name))), 1, 1}
	raw := make([]byte, ipc.PayloadSize)
	raw[0] = 2 // O_RDWR
	copy(raw[8:], name)
	open = append(open, raw...)
	var out [][]byte
	for e := range edges {
		for _, op := range []byte{1, 2} { // read, write
			rw := []byte{op, 254, byte(e), 0, 0, 0, 0, 0, 8, 200}
			out = append(out, append(append([]byte(nil), open...), rw...))
		}
	}
	ctl := []byte{6, 254, 1, 0, 0, 0, 0, 0, 0, 0, 4, 254, 0, 0, 0, 0, 0, 0, 0, 0, 3, 254, 0, 0, 0, 0, 0, 0, 0, 0}
	return append(out, append(append([]byte(nil), open...), ctl...))
}
