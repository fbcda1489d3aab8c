package rsproto

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// ServiceStats is one service in the Stats reply: the bus's metrics for
// the service and for each of its live instances.
type ServiceStats struct {
	Name string
	ipc.BusMetrics
	Instances []InstanceStats
}

// InstanceStats are the bus's metrics for one instance.
type InstanceStats struct {
	Task ipc.Endpoint
	ipc.BusMetrics
}

// MaxInstances bounds the instances a Stats record or a Scale request
// carries.
const MaxInstances = 64

// AppendServiceStats appends st's record to b: the name, the metrics,
// then a count byte and each instance's endpoint and metrics.
func AppendServiceStats(b []byte, st ServiceStats) []byte {
	r := appendStr(nil, st.Name)
	r = appendMetrics(r, &st.BusMetrics)
	n := min(len(st.Instances), MaxInstances)
	r = append(r, byte(n))
	for _, in := range st.Instances[:n] {
		r = binary.LittleEndian.AppendUint64(r, uint64(in.Task))
		r = appendMetrics(r, &in.BusMetrics)
	}
	return appendRecord(b, r)
}

// ParseServiceStats reads one ServiceStats record from b and returns the
// rest.
func ParseServiceStats(b []byte) (ServiceStats, []byte, error) {
	r, rest, ok := record(b)
	d := decoder{b: r, ok: ok}
	var st ServiceStats
	st.Name = d.str()
	d.metrics(&st.BusMetrics)
	n := int(d.byte())
	if n > MaxInstances {
		d.ok = false
	}
	for i := 0; i < n && d.ok; i++ {
		in := InstanceStats{Task: ipc.Endpoint(d.u64())}
		d.metrics(&in.BusMetrics)
		st.Instances = append(st.Instances, in)
	}
	if !d.ok || len(d.b) != 0 {
		return ServiceStats{}, nil, linux.EINVAL
	}
	return st, rest, nil
}

// metricFields lists m's fields in their wire order.
func metricFields(m *ipc.BusMetrics) []*int64 {
	return []*int64{&m.Requests, &m.Errors, &m.InFlight, &m.Queue, &m.NowNs, &m.WindowNs,
		&m.Arrived, &m.Done, &m.Failed, &m.P50Ns, &m.P99Ns, &m.MaxNs, &m.BusyNs}
}

func appendMetrics(b []byte, m *ipc.BusMetrics) []byte {
	for _, f := range metricFields(m) {
		b = binary.LittleEndian.AppendUint64(b, uint64(*f))
	}
	return b
}

func (d *decoder) metrics(m *ipc.BusMetrics) {
	for _, f := range metricFields(m) {
		*f = int64(d.u64())
	}
}

// Stats returns the bus's metrics of every service, sorted by name.
func (c Client) Stats() ([]ServiceStats, error) {
	var out []ServiceStats
	err := c.pages(Stats, func(b []byte) ([]byte, error) {
		st, rest, err := ParseServiceStats(b)
		out = append(out, st)
		return rest, err
	})
	return out, err
}

// ScaleRequest returns the Scale request for n instances of service name.
func ScaleRequest(name string, n int) (ipc.Message, error) {
	req, err := NameRequest(Scale, name, "")
	if err == nil && (n < 0 || n > MaxInstances) {
		err = linux.EINVAL
	}
	req.SetWord(4, uint64(n))
	return req, err
}

// ParseScale reads a Scale request.
func ParseScale(req *ipc.Message) (name string, n int, err error) {
	if req.Len > MaxName {
		return "", 0, linux.EINVAL
	}
	name, _, err = ParseName(req)
	if w := req.Word(4); w > MaxInstances {
		err = linux.EINVAL
	} else {
		n = int(w)
	}
	return name, n, err
}

// Scale asks rs to run n instances of the named service, and returns how
// many ran before and how many run now. EPERM unless the caller is root;
// EINVAL for a service that cannot have n (a server placed in the kernel,
// or n out of 0..MaxInstances).
func (c Client) Scale(name string, n int) (before, after int, err error) {
	req, err := ScaleRequest(name, n)
	if err != nil {
		return 0, 0, err
	}
	rep, err := ipc.Do(c.Sys, c.Dst, &req, nil, Errnos)
	return int(rep.Word(0)), int(rep.Word(1)), err
}

// TopicState is the topic rs publishes each managed service's state on
// (ipc.Publish): at every death, restart, stop, start, replace and scale.
// A message has type StateEvent, the service's name as its bytes, W4 the
// State and W5 the number of live instances.
const TopicState = Name + "/state"

// StateEvent is the type of TopicState's messages.
const StateEvent ipc.Type = 1

// StateMessage returns the TopicState message for service name.
func StateMessage(name string, st State, live int) ipc.Message {
	m := ipc.Message{Type: StateEvent}
	m.SetBytes([]byte(name[:min(len(name), MaxName)]))
	m.SetWord(4, uint64(st))
	m.SetWord(5, uint64(live))
	return m
}

// ParseStateMessage reads a TopicState message.
func ParseStateMessage(m *ipc.Message) (name string, st State, live int, err error) {
	if m.Type != StateEvent || m.Len > MaxName || m.Word(5) > 1<<16 {
		return "", 0, 0, linux.EINVAL
	}
	return string(m.Bytes()), State(m.Word(4)), int(m.Word(5)), nil
}
