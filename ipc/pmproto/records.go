package pmproto

import (
	"bytes"
	"encoding/binary"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// SpawnRequest is a decoded spawn: what the parent asked for.
type SpawnRequest struct {
	Path string
	Argv []string
	Env  []string
	Attr SpawnAttr
}

// EncodeSpawn lays a spawn out as the Spawn request and its send window.
// E2BIG when the window would exceed ipc.MaxBulk, EINVAL for a string with
// a NUL in it or an empty path.
func EncodeSpawn(s SpawnRequest) (ipc.Message, []byte, error) {
	req := ipc.Message{Type: Spawn}
	if s.Path == "" {
		return req, nil, linux.EINVAL
	}
	var b []byte
	for _, str := range append(append([]string{s.Path}, s.Argv...), s.Env...) {
		if strings.IndexByte(str, 0) >= 0 {
			return req, nil, linux.EINVAL
		}
		b = append(append(b, str...), 0)
	}
	strLen := len(b)
	for _, fd := range s.Attr.Fds {
		b = binary.LittleEndian.AppendUint32(b, uint32(int32(fd)))
	}
	if len(b) > ipc.MaxBulk {
		return req, nil, linux.E2BIG
	}
	for i, w := range []uint64{uint64(strLen), uint64(len(s.Argv)), uint64(len(s.Env)),
		uint64(len(s.Attr.Fds)), uint64(s.Attr.Flags), uint64(int64(s.Attr.Pgroup))} {
		req.SetWord(i, w)
	}
	return req, b, nil
}

// SpawnWindow returns the size of the send window a Spawn request says it
// has, and false when the size is out of bounds.
func SpawnWindow(req *ipc.Message) (int, bool) {
	strLen, nfds := req.Word(0), req.Word(3)
	if strLen > ipc.MaxBulk || nfds > ipc.MaxBulk/4 || strLen+4*nfds > ipc.MaxBulk {
		return 0, false
	}
	return int(strLen + 4*nfds), true
}

// DecodeSpawn reads a Spawn request and its send window (as much as
// SpawnWindow says). EINVAL when they do not agree, for a count the
// window cannot hold, a flag pm does not know, or a negative group.
func DecodeSpawn(req *ipc.Message, window []byte) (SpawnRequest, error) {
	n, ok := SpawnWindow(req)
	if !ok || len(window) != n {
		return SpawnRequest{}, linux.EINVAL
	}
	strLen, argc, envc := int(req.Word(0)), req.Word(1), req.Word(2)
	// Each string takes at least its NUL: a count past the bytes is
	// refused before it is added to another, where it could wrap around.
	if strLen == 0 || argc >= uint64(strLen) || envc >= uint64(strLen) || window[strLen-1] != 0 {
		return SpawnRequest{}, linux.EINVAL
	}
	strs := bytes.Split(window[:strLen], []byte{0})
	// Every string ends in a NUL, so the split leaves one empty tail.
	if uint64(len(strs)-1) != 1+argc+envc {
		return SpawnRequest{}, linux.EINVAL
	}
	s := SpawnRequest{Path: string(strs[0])}
	for _, a := range strs[1 : 1+argc] {
		s.Argv = append(s.Argv, string(a))
	}
	for _, e := range strs[1+argc : len(strs)-1] {
		s.Env = append(s.Env, string(e))
	}
	for off := strLen; off < n; off += 4 {
		s.Attr.Fds = append(s.Attr.Fds, int(int32(binary.LittleEndian.Uint32(window[off:]))))
	}
	s.Attr.Flags = SpawnFlags(req.Word(4))
	s.Attr.Pgroup = int(int64(req.Word(5)))
	if s.Path == "" || s.Attr.Flags&^SpawnSetPgroup != 0 || s.Attr.Pgroup < 0 {
		return SpawnRequest{}, linux.EINVAL
	}
	return s, nil
}

// State is a process's state as ps shows it.
type State byte

const (
	// Running: alive, as far as pm knows (it may be blocked elsewhere).
	Running State = 'R'
	// Waiting: blocked in Wait at pm.
	Waiting State = 'S'
	// Zombie: ended, its status not yet collected by its parent.
	Zombie State = 'Z'
	// StoppedState: stopped by a signal (SIGTSTP, SIGSTOP, …) until
	// SIGCONT.
	StoppedState State = 'T'
)

func (s State) String() string { return string(rune(s)) }

// NameSize bounds a process name in the ps record and in Attach, with its
// NUL padding (Linux's TASK_COMM_LEN).
const NameSize = 16

// ProcInfo is one line of the ps listing.
type ProcInfo struct {
	Pid, Ppid, Pgid int
	State           State
	// Status is the wait status of a zombie.
	Status linux.WaitStatus
	// StartNs is the virtual time the process was spawned or adopted.
	StartNs int64
	// Task is the kernel endpoint of the task that runs the process.
	Task ipc.Endpoint
	// Name is the program's name (the base of its path), at most
	// NameSize-1 bytes.
	Name string
	// CPUNs is the virtual CPU time it has used, user and system
	// (ipc.TaskTime): a zombie's as it was at its exit.
	CPUNs int64
}

// RecordSize is the size of a ProcInfo in the receive window:
//
//	0 pid u32 · 4 ppid u32 · 8 pgid u32 · 12 state u8 · 13 pad ·
//	14 status u16 · 16 start ns u64 · 24 task endpoint u64 · 32 name [16] ·
//	48 cpu ns u64
const RecordSize = 56

// Put writes p into b[:RecordSize].
func (p ProcInfo) Put(b []byte) {
	le := binary.LittleEndian
	le.PutUint32(b[0:], uint32(p.Pid))
	le.PutUint32(b[4:], uint32(p.Ppid))
	le.PutUint32(b[8:], uint32(p.Pgid))
	b[12], b[13] = byte(p.State), 0
	le.PutUint16(b[14:], uint16(p.Status))
	le.PutUint64(b[16:], uint64(p.StartNs))
	le.PutUint64(b[24:], uint64(p.Task))
	clear(b[32:48])
	copy(b[32:47], p.Name)
	le.PutUint64(b[48:], uint64(p.CPUNs))
}

// ReadProcInfo reads a record written by Put.
func ReadProcInfo(b []byte) ProcInfo {
	le := binary.LittleEndian
	return ProcInfo{
		Pid: int(le.Uint32(b[0:])), Ppid: int(le.Uint32(b[4:])), Pgid: int(le.Uint32(b[8:])),
		State: State(b[12]), Status: linux.WaitStatus(le.Uint16(b[14:])),
		StartNs: int64(le.Uint64(b[16:])), Task: ipc.Endpoint(le.Uint64(b[24:])),
		Name:  string(bytes.TrimRight(b[32:48], "\x00")),
		CPUNs: int64(le.Uint64(b[48:])),
	}
}

// ShortName returns the name ps shows for a program at path: its base
// name, cut to NameSize-1 bytes.
func ShortName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 && i < len(path)-1 {
		path = path[i+1:]
	}
	if len(path) >= NameSize {
		path = path[:NameSize-1]
	}
	return path
}
