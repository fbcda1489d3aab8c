package rsproto

import (
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// LogStream request: the restart log as a request/stream (ipc/bus.go) on
// stream W0, oldest entry first; with W1 = 1 rs follows the log, as tail
// -f does, emitting each new entry as it happens until the client
// cancels. Each entry is two frames: a LogHead (W0 TimeNs, W1 DiedNs, W2
// Old, W3 New) and a LogText (the service, a NUL, the cause, cut to the
// payload's 48 bytes).
const (
	LogHead ipc.Type = 1
	LogText ipc.Type = 2
)

// LogFrames returns e's two frames.
func LogFrames(e LogEntry) (head, text ipc.Message) {
	head.Type, text.Type = LogHead, LogText
	for i, v := range []uint64{uint64(e.TimeNs), uint64(e.DiedNs), uint64(e.Old), uint64(e.New)} {
		head.SetWord(i, v)
	}
	b := []byte(e.Service + "\x00" + e.Cause)
	text.SetBytes(b[:min(len(b), ipc.PayloadSize)])
	return head, text
}

// ParseLogFrames reads an entry from its two frames.
func ParseLogFrames(head, text *ipc.Message) (LogEntry, error) {
	svc, cause, ok := strings.Cut(string(text.Bytes()), "\x00")
	if head.Type != LogHead || text.Type != LogText || !ok || CheckName(svc) != nil {
		return LogEntry{}, linux.EINVAL
	}
	return LogEntry{TimeNs: int64(head.Word(0)), DiedNs: int64(head.Word(1)), Old: ipc.Endpoint(head.Word(2)),
		New: ipc.Endpoint(head.Word(3)), Service: svc, Cause: cause}, nil
}

// FollowLog streams the restart log, calling each with every entry in
// order; with follow it goes on with new entries as they happen. It
// stops, cancelling the stream, when each returns false; without follow
// it returns at the end of the log.
func (c Client) FollowLog(follow bool, each func(LogEntry) bool) error {
	const credits = 8 // four entries in flight
	s, err := ipc.OpenStream(c.Sys, credits)
	if err != nil {
		return err
	}
	req := ipc.Message{Type: LogStream}
	req.SetWord(0, uint64(s.ID))
	if follow {
		req.SetWord(1, 1)
	}
	if _, err := ipc.Do(c.Sys, c.Dst, &req, nil, Errnos); err != nil {
		_ = s.Cancel()
		return err
	}
	var head, text ipc.Message
	for {
		if end, err := s.Recv(&head); end || err != nil {
			return err
		}
		if end, err := s.Recv(&text); end || err != nil {
			return err
		}
		e, err := ParseLogFrames(&head, &text)
		if err != nil {
			_ = s.Cancel()
			return ipc.ErrBadReply
		}
		if !each(e) {
			return s.Cancel()
		}
		if err := s.Grant(2); err != nil {
			return err
		}
	}
}
