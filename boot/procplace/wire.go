package procplace

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
)

// op is one ipc.Sys method on the wire: the first word of a request.
type op uint32

// The ops, one per ipc.Sys method, and opHost. Spawn carries the task's
// recipe (ipc.Recipe), not its body: a body is Go code and cannot cross a
// process boundary. opHost is no system call: it asks the proxy's host
// side (Options.Host) for what the simulator keeps for the server — ds's
// store — and charges no virtual time.
const (
	opSelf op = iota + 1
	opNow
	opSend
	opReceive
	opCall
	opCallWith
	opReply
	opReplyWait
	opNotify
	opPoll
	opCopyIn
	opCopyOut
	opRegister
	opLookup
	opSleep
	opSetTimer
	opCompute
	opYield
	opRand
	opDevice
	opDevStart
	opDevDone
	opLoad
	opStore
	opVM
	opGrant
	opRevoke
	opGrantCopy
	opMemStats
	opExit
	opKill
	opInject
	opSupervise
	opNextDeath
	opCred
	opSetCred
	opWatchExits
	opSpawn
	opTaskTime
	opHost
	opCount // one past the last op
)

// windowBytes is the data capacity of the shared window: the largest
// request or reply, a bulk transfer of ipc.MaxBulk with its header, with
// room for a device buffer or a frame table of that size.
const windowBytes = 4*ipc.MaxBulk + 4096

// enc writes a request or a reply into the window, little-endian. A write
// past the end sets over and is dropped; the caller checks over once.
type enc struct {
	b    []byte
	n    int
	over bool
}

func (e *enc) reset(b []byte) { e.b, e.n, e.over = b, 0, false }

func (e *enc) room(n int) []byte {
	if e.over || e.n+n > len(e.b) {
		e.over = true
		return nil
	}
	s := e.b[e.n : e.n+n]
	e.n += n
	return s
}

func (e *enc) u64(v uint64) {
	if s := e.room(8); s != nil {
		binary.LittleEndian.PutUint64(s, v)
	}
}

// errno writes err's errno; a bare ipc.Errno (the kernel's errors) takes
// no allocation, unlike ipc.ErrnoOf's errors.As.
func (e *enc) errno(err error) {
	if n, ok := err.(ipc.Errno); ok {
		e.u64(uint64(n))
		return
	}
	e.u64(uint64(ipc.ErrnoOf(err)))
}

func (e *enc) i64(v int64)        { e.u64(uint64(v)) }
func (e *enc) ep(v ipc.Endpoint)  { e.u64(uint64(v)) }
func (e *enc) flag(v bool)        { e.u64(b2u(v)) }
func (e *enc) str(v string)       { e.bytes([]byte(v)) }
func (e *enc) msg(m *ipc.Message) { putMsg(e.room(ipc.MessageSize), m) }
func (e *enc) bytes(v []byte)     { e.u64(uint64(len(v))); copy(e.room(len(v)), v) }
func (e *enc) cred(c ipc.Cred)    { e.u64(uint64(c.UID)<<32 | uint64(c.GID)) }
func (e *enc) strs(v []string) {
	e.u64(uint64(len(v)))
	for _, x := range v {
		e.str(x)
	}
}
func (e *enc) words(v ...uint64) {
	for _, w := range v {
		e.u64(w)
	}
}
func (e *enc) death(d ipc.Death) {
	e.ep(d.Task)
	e.str(d.Name)
	e.str(d.Cause)
	e.i64(int64(d.Code))
	e.i64(d.TimeNs)
	e.flag(d.Lost)
}
func (e *enc) stats(s ipc.MemStats) {
	e.words(uint64(s.Resident), uint64(s.MinorFaults), uint64(s.MajorFaults), uint64(s.TLBHits), uint64(s.TLBMisses))
}

func b2u(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}

// dec reads what enc wrote. A read past the end sets short and returns
// zeros; the caller checks short once.
type dec struct {
	b     []byte
	n     int
	short bool
}

func (d *dec) reset(b []byte) { d.b, d.n, d.short = b, 0, false }

func (d *dec) take(n int) []byte {
	if d.short || n < 0 || d.n+n > len(d.b) {
		d.short = true
		return nil
	}
	s := d.b[d.n : d.n+n]
	d.n += n
	return s
}

func (d *dec) u64() uint64 {
	if s := d.take(8); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (d *dec) i64() int64         { return int64(d.u64()) }
func (d *dec) ep() ipc.Endpoint   { return ipc.Endpoint(d.u64()) }
func (d *dec) flag() bool         { return d.u64() != 0 }
func (d *dec) str() string        { return string(d.bytes()) }
func (d *dec) cred() ipc.Cred     { v := d.u64(); return ipc.Cred{UID: uint32(v >> 32), GID: uint32(v)} }
func (d *dec) msg(m *ipc.Message) { getMsg(d.take(ipc.MessageSize), m) }

// strs reads what enc.strs wrote; a count past the window is short.
func (d *dec) strs() []string {
	n := d.u64()
	if n > uint64(len(d.b)/8) {
		d.short = true
		return nil
	}
	var v []string
	for i := uint64(0); i < n && !d.short; i++ {
		v = append(v, d.str())
	}
	return v
}
func (d *dec) death() (x ipc.Death) {
	x.Task, x.Name, x.Cause = d.ep(), d.str(), d.str()
	x.Code, x.TimeNs = int(d.i64()), d.i64()
	x.Lost = d.flag()
	return
}

// bytes returns a slice of the window: copy it before the window is
// written again.
func (d *dec) bytes() []byte {
	n := d.u64()
	if n > uint64(len(d.b)) {
		d.short = true
		return nil
	}
	return d.take(int(n))
}

// bytesInto copies a byte field into dst and returns how many there were.
func (d *dec) bytesInto(dst []byte) int {
	return copy(dst, d.bytes())
}

// err reads an errno; 0 is nil.
func (d *dec) err() error {
	if e := ipc.Errno(d.u64()); e != 0 {
		return e
	}
	return nil
}

func (d *dec) stats() ipc.MemStats {
	return ipc.MemStats{Resident: int(d.u64()), MinorFaults: d.i64(), MajorFaults: d.i64(), TLBHits: d.i64(), TLBMisses: d.i64()}
}

// putMsg writes m's 64 bytes into b (nil: dropped, enc is over).
func putMsg(b []byte, m *ipc.Message) {
	if b == nil {
		return
	}
	binary.LittleEndian.PutUint64(b, uint64(m.Source))
	binary.LittleEndian.PutUint16(b[8:], uint16(m.Type))
	binary.LittleEndian.PutUint16(b[10:], m.Errno)
	binary.LittleEndian.PutUint16(b[12:], uint16(m.Service))
	binary.LittleEndian.PutUint16(b[14:], m.Len)
	copy(b[16:], m.Payload[:])
}

// getMsg reads a message putMsg wrote (nil: m is zeroed).
func getMsg(b []byte, m *ipc.Message) {
	if b == nil {
		*m = ipc.Message{}
		return
	}
	m.Source = ipc.Endpoint(binary.LittleEndian.Uint64(b))
	m.Type = ipc.Type(binary.LittleEndian.Uint16(b[8:]))
	m.Errno = binary.LittleEndian.Uint16(b[10:])
	m.Service = ipc.ServiceID(binary.LittleEndian.Uint16(b[12:]))
	m.Len = binary.LittleEndian.Uint16(b[14:])
	copy(m.Payload[:], b[16:])
}
