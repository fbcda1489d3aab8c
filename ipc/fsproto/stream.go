package fsproto

import (
	"encoding/binary"
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Streams from the file server (ipc.Stream): a large directory read as a
// stream of frames (ReadDirStream) and a file followed as it grows
// (Follow, for tail -f). The client grants credit as it takes frames, so
// the server never queues more at it than it asked for.

// DirWindow is the credit, in frames, ReadDirStreamed keeps granted: it
// grants half of it again each time it has taken half.
const DirWindow = 32

// openStream opens a stream with credit frames of credit and makes
// request t carrying its id in W0 and words after it.
func (c Client) openStream(t ipc.Type, credit int, x *ipc.Extra, words ...uint64) (ipc.Stream, error) {
	s, err := ipc.OpenStream(c.Sys, credit)
	if err != nil {
		return s, err
	}
	req := ipc.Message{Type: t}
	req.SetWord(0, uint64(s.ID))
	for i, w := range words {
		req.SetWord(i+1, w)
	}
	if x != nil {
		req.SetWord(PathWord, uint64(len(x.Send)))
	}
	if _, err := c.call(&req, x); err != nil {
		_ = s.Cancel()
		return ipc.Stream{}, err
	}
	return s, nil
}

// recv takes s's next frame, checking an error frame's errno against
// the protocol's.
func recv(s ipc.Stream, m *ipc.Message) (end bool, err error) {
	end, err = s.Recv(m)
	var e ipc.Errno
	if err != nil && errors.As(err, &e) && !Errnos.Has(e) && !ipc.CallErrnos.Has(e) && !ipc.BusErrnos.Has(e) {
		return true, ipc.ErrBadReply
	}
	return end, err
}

// ReadDirStreamed calls fn with every entry of the directory at path, "."
// and ".." included, in the directory's order, read as one stream
// (ReadDirStream) instead of a request per window. fn returning false
// cancels the stream.
func (c Client) ReadDirStreamed(path string, fn func(DirEntry) bool) error {
	if len(path) > PathMax {
		return linux.ENAMETOOLONG
	}
	s, err := c.openStream(ReadDirStream, DirWindow, &ipc.Extra{Send: []byte(path)})
	if err != nil {
		return err
	}
	var pend []byte
	var m ipc.Message
	taken := 0
	for {
		end, err := recv(s, &m)
		if end || err != nil {
			if err == nil && len(pend) > 0 {
				err = ipc.ErrBadReply // a record cut short
			}
			if !end {
				_ = s.Cancel()
			}
			return err
		}
		pend = append(pend, m.Bytes()...)
		for len(pend) >= direntHeader {
			n := direntHeader + int(pend[9])
			if n > len(pend) {
				break
			}
			e := DirEntry{Ino: binary.LittleEndian.Uint64(pend), Type: pend[8], Name: string(pend[direntHeader:n])}
			pend = pend[n:]
			if !fn(e) {
				_ = s.Cancel()
				return nil
			}
		}
		if taken++; taken == DirWindow/2 {
			taken = 0
			if err := s.Grant(DirWindow / 2); err != nil {
				return err
			}
		}
	}
}

// Follower is the client's end of a Follow stream.
type Follower struct {
	s ipc.Stream
}

// Follow follows the file open as fd, whose size the caller has seen to
// be seen: Next returns each new size.
func (c Client) Follow(fd FD, seen int64) (Follower, error) {
	if seen < 0 {
		return Follower{}, linux.EINVAL
	}
	s, err := c.openStream(Follow, 1, nil, uint64(fd), uint64(seen))
	return Follower{s: s}, err
}

// Next blocks until the file's size changes and returns the new size.
func (f Follower) Next() (int64, error) {
	var m ipc.Message
	end, err := recv(f.s, &m)
	if err == nil && end {
		err = linux.EBADF // the server ended a stream it must not end cleanly
	}
	if err != nil {
		return 0, err
	}
	size := int64(m.Word(0))
	if size < 0 {
		return 0, ipc.ErrBadReply
	}
	return size, f.s.Grant(1)
}

// Stop cancels the stream.
func (f Follower) Stop() error { return f.s.Cancel() }
