package pmproto

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Client makes process requests to the process manager at Dst. It keeps no
// state: pm knows the caller by the endpoint the kernel stamps on each
// request.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
}

// Dial looks up the process manager and returns a client of it.
func Dial(sys ipc.Sys) (Client, error) {
	dst, err := ipc.Dial(sys, Name)
	return Client{Sys: sys, Dst: dst}, err
}

// call makes one request and returns the reply, or the error of the call
// or of the reply.
func (c Client) call(req *ipc.Message, x *ipc.Extra) (ipc.Message, error) {
	return ipc.Do(c.Sys, c.Dst, req, x, Errnos)
}

// pidOf checks a pid a reply carries: 1 to MaxPid, or 0 when zero is
// allowed.
func pidOf(w uint64, zero bool, err error) (int, error) {
	switch {
	case err != nil:
		return 0, err
	case w == 0 && zero, w >= 1 && w <= MaxPid:
		return int(w), nil
	}
	return 0, ipc.ErrBadReply
}

// words makes a request of type t with the given payload words.
func (c Client) words(t ipc.Type, words ...uint64) (ipc.Message, error) {
	req := ipc.Message{Type: t}
	for i, w := range words {
		req.SetWord(i, w)
	}
	return c.call(&req, nil)
}

// Spawn starts the program at path with argv and env (and attr, which may
// be nil) as a child of the caller and returns its pid.
func (c Client) Spawn(path string, argv, env []string, attr *SpawnAttr) (int, error) {
	s := SpawnRequest{Path: path, Argv: argv, Env: env}
	if attr != nil {
		s.Attr = *attr
	}
	req, window, err := EncodeSpawn(s)
	if err != nil {
		return 0, err
	}
	rep, err := c.call(&req, &ipc.Extra{Send: window})
	return pidOf(rep.Word(0), false, err)
}

// Attach binds the calling task to its process: pid and token are the ones
// pm gave the wrapper of a task it spawned; pid 0 asks pm to adopt the
// caller under name.
func (c Client) Attach(pid int, token uint64, name string) (Ids, error) {
	req := ipc.Message{Type: Attach}
	req.SetWord(0, uint64(pid))
	req.SetWord(1, token)
	copy(req.Payload[16:16+NameSize-1], name)
	rep, err := c.call(&req, nil)
	return idsOf(&rep, err)
}

// Exit tells pm the caller exited with code. The caller should end its
// task right after (ipc.Sys.Exit); ulib.Exit does both.
func (c Client) Exit(code int) error {
	_, err := c.words(Exit, uint64(int64(code)), 0)
	return err
}

// Crashed tells pm the caller is ending because of sig (the wrapper
// reports a panic as SIGSEGV).
func (c Client) Crashed(sig linux.Signal) error {
	_, err := c.words(Exit, 0, uint64(sig))
	return err
}

// Wait waits for a child as waitpid(2) does (see the Wait request) and
// returns its pid and wait status.
func (c Client) Wait(pid, options int) (int, linux.WaitStatus, error) {
	got, ws, _, err := c.WaitTime(pid, options)
	return got, ws, err
}

// WaitTime is Wait that also returns the child's CPU time in virtual ns
// (user and system), as wait4(2)'s rusage does.
func (c Client) WaitTime(pid, options int) (int, linux.WaitStatus, int64, error) {
	rep, err := c.words(Wait, uint64(int64(pid)), uint64(options))
	got, err := pidOf(rep.Word(0), options&WNOHANG != 0, err)
	if err != nil {
		return 0, 0, 0, err
	}
	if rep.Word(1)>>32 != 0 || int64(rep.Word(2)) < 0 {
		return 0, 0, 0, ipc.ErrBadReply // a wait status is 32 bits; a time is not negative
	}
	return got, linux.WaitStatus(rep.Word(1)), int64(rep.Word(2)), nil
}

// Kill sends sig to the process or group pid names, as kill(2) does.
func (c Client) Kill(pid int, sig linux.Signal) error {
	_, err := c.words(Kill, uint64(int64(pid)), uint64(sig))
	return err
}

// Getpid returns the caller's pid, parent pid and process group.
func (c Client) Getpid() (Ids, error) {
	rep, err := c.words(Getpid)
	return idsOf(&rep, err)
}

// Setpgid moves process pid (0: the caller) into group pgid (0: pid).
func (c Client) Setpgid(pid, pgid int) error {
	_, err := c.words(Setpgid, uint64(int64(pid)), uint64(int64(pgid)))
	return err
}

// Getpgid returns the process group of pid (0: the caller).
func (c Client) Getpgid(pid int) (int, error) {
	rep, err := c.words(Getpgid, uint64(int64(pid)))
	return pidOf(rep.Word(0), false, err)
}

// Sigaction sets what the caller does with sig and returns what it did.
func (c Client) Sigaction(sig linux.Signal, d Disposition) (Disposition, error) {
	rep, err := c.words(Sigaction, uint64(sig), uint64(d))
	if err != nil {
		return 0, err
	}
	if rep.Word(0) > uint64(SigCatch) {
		return 0, ipc.ErrBadReply
	}
	return Disposition(rep.Word(0)), nil
}

// PsBatch is the number of records one Ps request returns at most: its
// receive window holds PsBatch*RecordSize bytes.
const PsBatch = ipc.MaxBulk / RecordSize

// Ps returns the process table in pid order.
func (c Client) Ps() ([]ProcInfo, error) {
	var out []ProcInfo
	buf := make([]byte, PsBatch*RecordSize)
	next := uint64(1)
	for next != 0 {
		req := ipc.Message{Type: Ps}
		req.SetWord(0, next)
		rep, err := c.call(&req, &ipc.Extra{Recv: buf})
		if err != nil {
			return out, err
		}
		n, ok := ipc.Count(rep.Word(0), PsBatch)
		if !ok || rep.Word(1) != 0 && rep.Word(1) <= next {
			return out, ipc.ErrBadReply // past the window, or a listing that would never end
		}
		for i := range n {
			out = append(out, ReadProcInfo(buf[i*RecordSize:]))
		}
		next = rep.Word(1)
	}
	return out, nil
}

// Setcred makes the caller act as c (only root may become someone else).
func (c Client) Setcred(cred ipc.Cred) error {
	_, err := c.words(Setcred, uint64(cred.UID), uint64(cred.GID))
	return err
}

// maxFds bounds the descriptors a process inherits.
const maxFds = 1024

// Fds returns the descriptors the caller inherited at spawn.
func (c Client) Fds() ([]int, error) {
	buf := make([]byte, 4*maxFds)
	req := ipc.Message{Type: Fds}
	rep, err := c.call(&req, &ipc.Extra{Recv: buf})
	if err != nil {
		return nil, err
	}
	n, ok := ipc.Count(rep.Word(0), maxFds)
	if !ok {
		return nil, ipc.ErrBadReply
	}
	var fds []int
	for i := range n {
		fds = append(fds, int(int32(binary.LittleEndian.Uint32(buf[4*i:]))))
	}
	return fds, nil
}

// idsOf reads the Ids of an Attach or Getpid reply: a pid, a parent (0
// for init) and a group, each at most MaxPid.
func idsOf(rep *ipc.Message, err error) (Ids, error) {
	if err != nil {
		return Ids{}, err
	}
	if rep.Word(0) == 0 || rep.Word(0) > MaxPid || rep.Word(1) > MaxPid || rep.Word(2) > MaxPid {
		return Ids{}, ipc.ErrBadReply
	}
	return Ids{Pid: int(rep.Word(0)), Ppid: int(rep.Word(1)), Pgid: int(rep.Word(2))}, nil
}

// Wrapped is implemented by the Sys that pm hands to the programs it
// spawns: its Exit reports the status to pm before it ends the task, so a
// library's Exit need not report it again.
type Wrapped interface {
	ipc.Sys
	ReportsExit()
}
