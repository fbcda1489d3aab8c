package memdev

import (
	"github.com/mkos/mkos/ipc/linux"
)

// The devices.
const (
	devNull uint64 = iota + 1
	devZero
	devRandom
	devFull
)

// byName maps a stream's name to its device.
var byName = map[string]uint64{"null": devNull, "zero": devZero, "random": devRandom, "full": devFull}

// A handle carries its device and access mode, so the service needs no
// table of open streams:
//
//	bits 48–63  handleTag, "md"
//	bits  8–47  a sequence number, so that handles differ
//	bits  2–4   the device
//	bits  0–1   the access mode, linux.O_RDONLY, O_WRONLY or O_RDWR
type handle uint64

const handleTag = 0x6d64

// parseHandle checks a handle a request carries.
func parseHandle(w uint64) (handle, bool) {
	h := handle(w)
	return h, w>>48 == handleTag && h.mode() != linux.O_ACCMODE && h.device() >= devNull && h.device() <= devFull
}

func (h handle) mode() int      { return int(h & linux.O_ACCMODE) }
func (h handle) device() uint64 { return uint64(h>>2) & 7 }
func (h handle) canRead() bool  { return h.mode() != linux.O_WRONLY }
func (h handle) canWrite() bool { return h.mode() != linux.O_RDONLY }

// newHandle makes a handle on dev with access mode m.
func (s *Server) newHandle(dev uint64, m int) handle {
	s.seq++
	return handle(handleTag<<48 | (s.seq&(1<<40-1))<<8 | dev<<2 | uint64(m))
}
