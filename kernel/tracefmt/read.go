package tracefmt

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// line is one JSON line as kernel.Event.AppendJSON writes it.
type line struct {
	T      int64  `json:"t"`
	Host   int    `json:"host"`
	CPU    int    `json:"cpu"`
	Ev     string `json:"ev"`
	Task   string `json:"task"`
	Peer   string `json:"peer"`
	Name   string `json:"name"`
	Svc    string `json:"svc"`
	Type   uint16 `json:"type"`
	Errno  uint16 `json:"errno"`
	Word   uint64 `json:"word"`
	Detail string `json:"detail"`
}

// ReadJSONL reads a trace written by kernel.JSONTracer. A malformed line
// is a *DamageError naming its line number, returned with the events
// before it: a trace cut short (a run killed while writing it) can still
// be read up to the damage.
func ReadJSONL(r io.Reader) ([]kernel.Event, error) {
	kinds := KindsByName()
	var out []kernel.Event
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return out, &DamageError{Line: n, Err: err}
		}
		k, ok := kinds[l.Ev]
		if !ok {
			return out, &DamageError{Line: n, Err: fmt.Errorf("unknown event %q", l.Ev)}
		}
		task, err1 := ParseEndpoint(l.Task)
		peer, err2 := ParseEndpoint(l.Peer)
		if err1 != nil || err2 != nil {
			return out, &DamageError{Line: n, Err: errors.New("bad endpoint")}
		}
		out = append(out, kernel.Event{T: l.T, Host: l.Host, CPU: l.CPU, Kind: k, Task: task, Peer: peer, Name: l.Name,
			Svc: l.Svc, Type: l.Type, Errno: l.Errno, Word: l.Word, Detail: l.Detail})
	}
	return out, sc.Err()
}

// DamageError is a line of a trace that cannot be read.
type DamageError struct {
	Line int // from 1
	Err  error
}

func (e *DamageError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *DamageError) Unwrap() error { return e.Err }

// KindsByName maps every event kind's name to the kind.
func KindsByName() map[string]kernel.Kind {
	m := map[string]kernel.Kind{}
	for k := kernel.EvSend; k <= kernel.LastKind; k++ {
		m[k.String()] = k
	}
	return m
}

// ParseEndpoint reads an endpoint as Endpoint.String writes it: "slot.gen",
// "svc:N", "kernel", "any"; "" is the kernel (an absent field).
func ParseEndpoint(s string) (ipc.Endpoint, error) {
	switch s {
	case "", "kernel":
		return ipc.KernelEndpoint, nil
	case "any":
		return ipc.Any, nil
	}
	if id, ok := strings.CutPrefix(s, "svc:"); ok {
		n, err := strconv.ParseUint(id, 10, 16)
		return ipc.ServiceEndpoint(ipc.ServiceID(n)), err
	}
	slot, gen, ok := strings.Cut(s, ".")
	a, err1 := strconv.ParseUint(slot, 10, 32)
	b, err2 := strconv.ParseUint(gen, 10, 31)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad endpoint %q", s)
	}
	return ipc.TaskEndpoint(uint32(a), uint32(b)), nil
}
