package rsproto

import (
	"encoding/binary"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Name is the service name rs registers.
const Name = "rs"

// Request types.
const (
	// List: services with their state (Status records).
	List ipc.Type = iota + 1
	// Restart: kill the service's instances and start new ones at once.
	// Reply W0 = the old endpoint, W1 = the new one (first instance).
	Restart
	// Stop: kill the service's instances and do not restart them.
	Stop
	// Start: start a stopped service. Reply W1 = the new endpoint.
	Start
	// Replace: run another implementation of the same protocol (restarts
	// the service with it). Reply W0 = old endpoint, W1 = new.
	Replace
	// Log: the restart log (LogEntry records), oldest first.
	Log
	// Inject: arm a fault in the named service (name in the payload's
	// first MaxName+1 bytes, W4 = ipc.Injection, W5 = its parameter): rs
	// is the fault controller of a running system, so a program needs
	// neither the kernel's Inject privilege nor rs's code to crash a
	// server — only to be root.
	Inject
	// Update: a live update of the service to an implementation of its
	// protocol (the payload names it after the service's name, or
	// nothing for the one it runs): its state moves from each old
	// instance to a new one while the bus holds its requests
	// (docs/liveupdate.md). Reply W0 = old endpoint, W1 = new (the first
	// instance's), W2 = How, W3 = the state's version, W4 = its bytes.
	// A rolled-back update is a reply too (How = RolledBack), the reason
	// in the log.
	Update
	// Stats: the bus's metrics of every service and of each of its
	// instances (ServiceStats records, stats.go), paged as List.
	Stats
	// Scale: run W4 instances of the named service, starting or stopping
	// some (root only; the autoscaler's request). Reply W0 = instances
	// before, W1 = after.
	Scale
	// LogStream: the restart log as a stream, followed or not
	// (logstream.go).
	LogStream

	// LastRequest is the highest request type.
	LastRequest = LogStream
)

// How says how an Update went.
type How uint8

// The ways an Update goes.
const (
	// Moved: the state moved to the new instances, which serve now.
	Moved How = iota + 1
	// Restarted: the server keeps no state it can hand over (it is not
	// ipc.Stateful); it was restarted with the new implementation.
	Restarted
	// RolledBack: the new instance did not start, refused the state or
	// died within the trial; the old one serves on, as it was.
	RolledBack
)

var howNames = [...]string{"?", "moved", "restarted", "rolled back"}

func (h How) String() string {
	if int(h) < len(howNames) {
		return howNames[h]
	}
	return "?"
}

// UpdateResult is the reply to Update.
type UpdateResult struct {
	Old, New ipc.Endpoint
	How      How
	// Version and Bytes describe the state that moved.
	Version int
	Bytes   int64
}

// Names maps each request type to its name, for traces and tests.
var Names = map[ipc.Type]string{
	List: "list", Restart: "restart", Stop: "stop", Start: "start", Replace: "replace", Log: "log",
	Inject: "inject", Update: "update", Stats: "stats", Scale: "scale", LogStream: "logstream",
}

// MaxName bounds a service or implementation name, in bytes.
const MaxName = 23

// State is what rs knows of a service.
type State uint8

// The states.
const (
	// Up: every wanted instance is alive.
	Up State = iota + 1
	// Down: fewer instances than wanted are alive and no restart is
	// pending (rs has not started it yet, or a spawn failed).
	Down
	// Restarting: an instance died and its restart waits out the back-off.
	Restarting
	// Stopped: stopped with Stop; rs leaves it down until Start.
	Stopped
	// Hung: an instance failed to answer a ping in time; rs killed it and
	// its restart waits out the back-off.
	Hung
	// Kernel: placed in the kernel; it cannot die without the system.
	Kernel
)

var stateNames = [...]string{"?", "up", "down", "restarting", "stopped", "hung", "kernel"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "?"
}

// Status is one service in the List reply.
type Status struct {
	Name string
	// Impl is the implementation that runs, "" when rs does not manage
	// the service.
	Impl  string
	State State
	// Want is the number of instances configured; Instances are the live
	// ones' task endpoints.
	Want      int
	Instances []ipc.Endpoint
	// Restarts counts restarts since boot (of every instance).
	Restarts int64
	// UptimeNs is the virtual time since the current instance started, 0
	// when none is alive.
	UptimeNs int64
	// Requests and Errors are the bus's counters for the service.
	Requests, Errors int64
	// Cause is how the last instance died, "" if none did.
	Cause string
	// Priv is the privilege record its instances run with
	// (ipc.Priv.String; "kernel" when placed in the kernel); Callers the
	// records that may call it, comma-separated, "" for anyone.
	Priv, Callers string
	// Placement is where it runs: "kernel", "user" (a task) or
	// "process" (a host process: HostPID, 0 when none runs).
	Placement string
	HostPID   int
}

// Where is the placement as svc and ps print it: "-" when unknown, and
// for a host process its host PID ("process:4711").
func (st Status) Where() string {
	switch {
	case st.Placement == "":
		return "-"
	case st.Placement == "process" && st.HostPID > 0:
		return "process:" + strconv.Itoa(st.HostPID)
	}
	return st.Placement
}

// LogEntry is one restart.
type LogEntry struct {
	// TimeNs is when the new instance was started; DiedNs when the old
	// one died (or was killed).
	TimeNs, DiedNs int64
	Service        string
	Old, New       ipc.Endpoint
	Cause          string
}

// CheckName returns nil when name is a valid service or implementation
// name, EINVAL otherwise.
func CheckName(name string) error {
	if name == "" || len(name) > MaxName || strings.IndexByte(name, 0) >= 0 {
		return linux.EINVAL
	}
	return nil
}

// NameRequest returns a request of type t naming service name (and, for
// Replace and Update, impl; an Update's may be empty).
func NameRequest(t ipc.Type, name, impl string) (ipc.Message, error) {
	req := ipc.Message{Type: t}
	if err := CheckName(name); err != nil {
		return req, err
	}
	s := name
	if t == Replace || t == Update && impl != "" {
		if err := CheckName(impl); err != nil {
			return req, err
		}
		s += "\x00" + impl
	}
	req.SetBytes([]byte(s))
	return req, nil
}

// InjectRequest returns the Inject request arming kind (with param) in
// service name.
func InjectRequest(name string, kind ipc.Injection, param int64) (ipc.Message, error) {
	req, err := NameRequest(Inject, name, "")
	req.SetWord(4, uint64(kind))
	req.SetWord(5, uint64(param))
	return req, err
}

// ParseInject reads an Inject request.
func ParseInject(req *ipc.Message) (name string, kind ipc.Injection, param int64, err error) {
	if req.Len > MaxName {
		return "", 0, 0, linux.EINVAL
	}
	name, _, err = ParseName(req)
	k := req.Word(4)
	if k < uint64(ipc.InjectCrash) || k > uint64(ipc.InjectSlow) {
		err = linux.EINVAL
	}
	return name, ipc.Injection(k), int64(req.Word(5)), err
}

// ParseName reads the service name (and Replace's implementation) of a
// request made with NameRequest.
func ParseName(req *ipc.Message) (name, impl string, err error) {
	name, impl, two := strings.Cut(string(req.Bytes()), "\x00")
	if two != (req.Type == Replace) && req.Type != Update || CheckName(name) != nil || two && CheckName(impl) != nil {
		return "", "", linux.EINVAL
	}
	return name, impl, nil
}

// Records are laid out little-endian, each behind a 2-byte length of
// what follows; strings are a length byte and the bytes (cut at 255).

// AppendStatus appends st's record to b.
func AppendStatus(b []byte, st Status) []byte {
	var r []byte
	r = appendStr(r, st.Name)
	r = appendStr(r, st.Impl)
	r = append(r, byte(st.State), byte(min(st.Want, 255)), byte(min(len(st.Instances), 255)))
	for _, ep := range st.Instances[:min(len(st.Instances), 255)] {
		r = binary.LittleEndian.AppendUint64(r, uint64(ep))
	}
	for _, v := range []int64{st.Restarts, st.UptimeNs, st.Requests, st.Errors} {
		r = binary.LittleEndian.AppendUint64(r, uint64(v))
	}
	r = appendStr(r, st.Cause)
	r = appendStr(r, st.Priv)
	r = appendStr(r, st.Callers)
	r = appendStr(r, st.Placement)
	r = binary.LittleEndian.AppendUint64(r, uint64(st.HostPID))
	return appendRecord(b, r)
}

// AppendLogEntry appends e's record to b.
func AppendLogEntry(b []byte, e LogEntry) []byte {
	var r []byte
	for _, v := range []uint64{uint64(e.TimeNs), uint64(e.DiedNs), uint64(e.Old), uint64(e.New)} {
		r = binary.LittleEndian.AppendUint64(r, v)
	}
	r = appendStr(r, e.Service)
	r = appendStr(r, e.Cause)
	return appendRecord(b, r)
}

// ParseStatus reads one Status record from b and returns the rest.
func ParseStatus(b []byte) (Status, []byte, error) {
	r, rest, ok := record(b)
	var st Status
	d := decoder{b: r, ok: ok}
	st.Name, st.Impl = d.str(), d.str()
	st.State, st.Want = State(d.byte()), int(d.byte())
	n := int(d.byte())
	for i := 0; i < n && d.ok; i++ {
		st.Instances = append(st.Instances, ipc.Endpoint(d.u64()))
	}
	st.Restarts, st.UptimeNs = int64(d.u64()), int64(d.u64())
	st.Requests, st.Errors = int64(d.u64()), int64(d.u64())
	st.Cause, st.Priv, st.Callers, st.Placement = d.str(), d.str(), d.str(), d.str()
	st.HostPID = int(d.u64())
	if !d.ok || len(d.b) != 0 {
		return Status{}, nil, linux.EINVAL
	}
	return st, rest, nil
}

// ParseLogEntry reads one LogEntry record from b and returns the rest.
func ParseLogEntry(b []byte) (LogEntry, []byte, error) {
	r, rest, ok := record(b)
	d := decoder{b: r, ok: ok}
	e := LogEntry{TimeNs: int64(d.u64()), DiedNs: int64(d.u64()), Old: ipc.Endpoint(d.u64()), New: ipc.Endpoint(d.u64())}
	e.Service, e.Cause = d.str(), d.str()
	if !d.ok || len(d.b) != 0 {
		return LogEntry{}, nil, linux.EINVAL
	}
	return e, rest, nil
}

func appendStr(b []byte, s string) []byte {
	s = s[:min(len(s), 255)]
	return append(append(b, byte(len(s))), s...)
}

func appendRecord(b, r []byte) []byte {
	return append(binary.LittleEndian.AppendUint16(b, uint16(len(r))), r...)
}

// record splits the first record off b.
func record(b []byte) (r, rest []byte, ok bool) {
	if len(b) < 2 {
		return nil, nil, false
	}
	n := int(binary.LittleEndian.Uint16(b))
	if len(b) < 2+n {
		return nil, nil, false
	}
	return b[2 : 2+n], b[2+n:], true
}

// decoder reads fields off b; ok turns false at the first short read.
type decoder struct {
	b  []byte
	ok bool
}

func (d *decoder) take(n int) []byte {
	if !d.ok || len(d.b) < n {
		d.ok = false
		return make([]byte, n)
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) byte() byte  { return d.take(1)[0] }
func (d *decoder) u64() uint64 { return binary.LittleEndian.Uint64(d.take(8)) }
func (d *decoder) str() string { return string(d.take(int(d.byte()))) }
