package rsproto

import (
	"github.com/mkos/mkos/ipc"
)

// page is the receive window List and Log offer per request.
const page = 4096

// Client makes requests to the reincarnation server at Dst.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
}

// Dial looks up rs and returns a client of it.
func Dial(sys ipc.Sys) (Client, error) {
	dst, err := ipc.Dial(sys, Name)
	return Client{Sys: sys, Dst: dst}, err
}

// List returns every service on the bus, sorted by name.
func (c Client) List() ([]Status, error) {
	var out []Status
	err := c.pages(List, func(b []byte) ([]byte, error) {
		st, rest, err := ParseStatus(b)
		out = append(out, st)
		return rest, err
	})
	return out, err
}

// Log returns the restart log, oldest first.
func (c Client) Log() ([]LogEntry, error) {
	var out []LogEntry
	err := c.pages(Log, func(b []byte) ([]byte, error) {
		e, rest, err := ParseLogEntry(b)
		out = append(out, e)
		return rest, err
	})
	return out, err
}

// pages fetches every record of a List or Log, passing the window of each
// reply to parse once per record.
func (c Client) pages(t ipc.Type, parse func([]byte) ([]byte, error)) error {
	buf := make([]byte, page)
	for next := uint64(0); ; {
		req := ipc.Message{Type: t}
		req.SetWord(0, next)
		req.SetWord(1, page)
		rep, err := ipc.Do(c.Sys, c.Dst, &req, &ipc.Extra{Recv: buf}, Errnos)
		if err != nil {
			return err
		}
		n, used, total := rep.Word(0), rep.Word(1), rep.Word(2)
		if used > page || n > page || n == 0 && next < total {
			return ipc.ErrBadReply
		}
		b := buf[:used]
		for i := uint64(0); i < n; i++ {
			if b, err = parse(b); err != nil {
				return err
			}
		}
		if next += n; next >= total {
			return nil
		}
	}
}

// Restart restarts the named service at once and returns its old and new
// endpoints (of the first instance; 0 when there was none).
func (c Client) Restart(name string) (old, new ipc.Endpoint, err error) {
	return c.named(Restart, name, "")
}

// Stop stops the named service: rs kills its instances and leaves it down.
func (c Client) Stop(name string) error {
	_, _, err := c.named(Stop, name, "")
	return err
}

// Start starts a stopped service and returns its new endpoint.
func (c Client) Start(name string) (ipc.Endpoint, error) {
	_, ep, err := c.named(Start, name, "")
	return ep, err
}

// Replace makes the named service run implementation impl, restarting it.
func (c Client) Replace(name, impl string) (old, new ipc.Endpoint, err error) {
	return c.named(Replace, name, impl)
}

// Inject arms a fault of kind (with param, InjectSlow's delay) in the
// named service: it hits the next request the service receives. EPERM
// unless the caller is root.
func (c Client) Inject(name string, kind ipc.Injection, param int64) error {
	req, err := InjectRequest(name, kind, param)
	if err != nil {
		return err
	}
	_, err = ipc.Do(c.Sys, c.Dst, &req, nil, Errnos)
	return err
}

// Update updates the named service live to implementation impl ("": the
// one it runs): its state moves to new instances, its callers see no
// error. A rolled-back update is no error: the result says so.
func (c Client) Update(name, impl string) (UpdateResult, error) {
	req, err := NameRequest(Update, name, impl)
	if err != nil {
		return UpdateResult{}, err
	}
	rep, err := ipc.Do(c.Sys, c.Dst, &req, nil, Errnos)
	if err != nil {
		return UpdateResult{}, err
	}
	r := UpdateResult{Old: ipc.Endpoint(rep.Word(0)), New: ipc.Endpoint(rep.Word(1)), How: How(rep.Word(2)),
		Version: int(int32(rep.Word(3))), Bytes: int64(rep.Word(4))}
	if r.How < Moved || r.How > RolledBack {
		return r, ipc.ErrBadReply
	}
	return r, nil
}

func (c Client) named(t ipc.Type, name, impl string) (old, new ipc.Endpoint, err error) {
	req, err := NameRequest(t, name, impl)
	if err != nil {
		return 0, 0, err
	}
	rep, err := ipc.Do(c.Sys, c.Dst, &req, nil, Errnos)
	return ipc.Endpoint(rep.Word(0)), ipc.Endpoint(rep.Word(1)), err
}
