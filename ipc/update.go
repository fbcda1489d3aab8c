package ipc

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mkos/mkos/ipc/linux"
)

// Live update: a server's state moves from a running instance to a new
// one while the bus holds the service's requests (docs/liveupdate.md).
// LECTURE: live-update

// Stateful is implemented by a server whose state can move to a new
// instance of its service in a live update, as MINIX 3's state transfer.
// State runs in the old instance once it is quiescent: every request it
// received before has been answered or is parked in its state (a request
// the handler answers later with Reply, which the new instance then
// answers). Restore runs in the new instance before it serves anything;
// version is State's, so new code can convert an old layout, and an
// error refuses the state (the update is rolled back).
//
// Serve answers StateGet and StatePut with them; a server that is not
// Stateful answers ENOSYS and is updated by restart.
type Stateful interface {
	State() (version int, data []byte, err error)
	Restore(version int, data []byte) error
}

// Kernel-reserved message types of a live update. Only a task with the
// KUpdate privilege (the reincarnation server) may send them, and only
// to a task endpoint; Serve answers them without calling Handle.
const (
	// StateGet asks an instance for its state: Word(0) is the offset of
	// the chunk wanted; the chunk comes in the caller's receive window.
	// The reply has Word(0) = version, Word(1) = the state's length,
	// Word(2) = the bytes of this chunk. At offset 0 State is called
	// again.
	StateGet Type = 0xff05
	// StatePut gives a new instance its state, a chunk at a time: Word(0)
	// = version, Word(1) = the state's length, Word(2) = this chunk's
	// offset, the chunk in the send window. With the last chunk, Serve
	// calls Restore and replies with its verdict (EINVAL: refused, and
	// the start of Restore's error in the payload).
	StatePut Type = 0xff06
)

// IsStateType reports whether t is StateGet or StatePut.
func IsStateType(t Type) bool { return t == StateGet || t == StatePut }

// MaxState bounds a state that crosses in a live update, in bytes.
const MaxState = 64 << 20

// UpdateStep is one step of a live update on the bus (Sys.Update).
type UpdateStep uint8

// The steps.
const (
	// UpdateHold makes the bus hold the service's new requests in its
	// queue instead of routing them, until UpdateCommit or UpdateAbort.
	UpdateHold UpdateStep = iota + 1
	// UpdateCommit makes instance new take old's place: callers awaiting
	// old's reply now await new's, requests queued at old and held at the
	// bus go to new, and old leaves the service.
	UpdateCommit
	// UpdateAbort ends a hold without a switch; new, when not 0, leaves
	// the service (the rolled-back instance), and the held requests go
	// to the service's instances.
	UpdateAbort
)

var updateStepNames = [...]string{"?", "hold", "commit", "abort"}

func (s UpdateStep) String() string {
	if int(s) < len(updateStepNames) {
		return updateStepNames[s]
	}
	return "?"
}

// stateServer is Serve's side of a live update: the state being read out
// (StateGet) or put together (StatePut), a chunk at a time.
type stateServer struct {
	srv     Stateful
	out     []byte
	outVer  int
	in      []byte
	inVer   uint64
	inTotal uint64
}

// serveState answers a StateGet or StatePut with srv's state.
func (st *stateServer) serveState(ctx *Ctx, req *Message) Message {
	if st.srv == nil {
		return ErrorReply(req, ErrNoSys)
	}
	if req.Type == StateGet {
		return st.get(ctx, req)
	}
	return st.put(ctx, req)
}

func (st *stateServer) get(ctx *Ctx, req *Message) Message {
	off := req.Word(0)
	if off == 0 {
		v, data, err := st.srv.State()
		if err != nil {
			return ErrorReply(req, linux.EIO)
		}
		st.out, st.outVer = data, v
	}
	if off > uint64(len(st.out)) || len(st.out) > MaxState {
		return ErrorReply(req, ErrInvalid)
	}
	chunk := st.out[off:]
	chunk = chunk[:min(len(chunk), MaxBulk)]
	n, err := ctx.CopyOut(0, chunk)
	if err != nil {
		return ErrorReply(req, ErrnoOf(err))
	}
	rep := Reply(req)
	rep.SetWord(0, uint64(st.outVer))
	rep.SetWord(1, uint64(len(st.out)))
	rep.SetWord(2, uint64(n))
	if int(off)+n == len(st.out) {
		st.out = nil
	}
	return rep
}

func (st *stateServer) put(ctx *Ctx, req *Message) Message {
	ver, total, off := req.Word(0), req.Word(1), req.Word(2)
	if total > MaxState || off != uint64(len(st.in)) || off > total || ver > 1<<31 {
		st.in = nil
		return ErrorReply(req, ErrInvalid)
	}
	if off == 0 {
		st.in, st.inVer, st.inTotal = make([]byte, 0, total), ver, total
	}
	if ver != st.inVer || total != st.inTotal {
		st.in = nil
		return ErrorReply(req, ErrInvalid)
	}
	chunk := make([]byte, min(total-off, MaxBulk))
	n, err := ctx.CopyIn(0, chunk)
	if err != nil {
		st.in = nil
		return ErrorReply(req, ErrnoOf(err))
	}
	st.in = append(st.in, chunk[:n]...)
	rep := Reply(req)
	rep.SetWord(0, uint64(len(st.in)))
	if uint64(len(st.in)) < total {
		return rep
	}
	data := st.in
	st.in = nil
	if err := st.srv.Restore(int(ver), data); err != nil {
		rep = ErrorReply(req, ErrInvalid)
		why := err.Error()
		rep.SetBytes([]byte(why[:min(len(why), PayloadSize)])) // why, for the log
	}
	return rep
}

// PackState lays out a state as its header in JSON, then blobs raw, each
// behind its length: what a Stateful server whose state holds pages or
// blocks returns from State (base64 in JSON would cost a third more bytes
// and most of the time). JSON, not gob: gob's bytes depend on the types a
// process encoded before, and a run must give the same bytes every time.
func PackState(header any, blobs [][]byte) ([]byte, error) {
	js, err := json.Marshal(header)
	if err != nil {
		return nil, err
	}
	n := 4 + len(js)
	for _, b := range blobs {
		n += 4 + len(b)
	}
	out := binary.LittleEndian.AppendUint32(make([]byte, 0, n), uint32(len(js)))
	out = append(out, js...)
	for _, b := range blobs {
		out = binary.LittleEndian.AppendUint32(out, uint32(len(b)))
		out = append(out, b...)
	}
	return out, nil
}

// UnpackState reads what PackState wrote: it decodes the header into
// header and returns the blobs, which alias data. Any damage is an error.
func UnpackState(data []byte, header any) ([][]byte, error) {
	next := func() ([]byte, bool) {
		if len(data) < 4 || uint64(binary.LittleEndian.Uint32(data)) > uint64(len(data)-4) {
			return nil, false
		}
		n := int(binary.LittleEndian.Uint32(data))
		b := data[4 : 4+n : 4+n]
		data = data[4+n:]
		return b, true
	}
	js, ok := next()
	if !ok {
		return nil, errors.New("state: no header")
	}
	if err := json.Unmarshal(js, header); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	var blobs [][]byte
	for len(data) > 0 {
		b, ok := next()
		if !ok {
			return nil, fmt.Errorf("state: blob %d cut short", len(blobs))
		}
		blobs = append(blobs, b)
	}
	return blobs, nil
}

// StateJSON is State's answer for a server whose whole state is one
// JSON-encodable record: version and the record's JSON.
func StateJSON(version int, record any) (int, []byte, error) {
	out, err := json.Marshal(record)
	if err != nil {
		return 0, nil, err
	}
	return version, out, nil
}

// RestoreJSON is the start of Restore for such a server: it refuses a
// state of another version than want, naming server, and decodes data
// into record.
func RestoreJSON(server string, want, version int, data []byte, record any) error {
	if version != want {
		return fmt.Errorf("%s: state v%d, this code reads v%d", server, version, want)
	}
	if err := json.Unmarshal(data, record); err != nil {
		return fmt.Errorf("%s: state: %w", server, err)
	}
	return nil
}
