package workload

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// The demo's files: with a disk and the file server (Demo.Files), each
// client keeps a log file, /tmp/clientN, writes a record to it every
// round and fsyncs it at the end, so the disk, its latency model and
// its I/O scheduler take part in the demo.

// recordBytes is the size of one round's record in a client's log: a
// line.
const recordBytes = 32

// demoLog is a client's log file; nil when it could not be opened.
type demoLog struct {
	c  fsproto.Client
	fd fsproto.FD
}

// openLog creates the client's log file.
func openLog(sys ipc.Sys, id int, tally *Tally) *demoLog {
	c, err := fsproto.Dial(sys)
	if err != nil {
		tally.fail(fmt.Errorf("file server: %w", err))
		return nil
	}
	fd, err := c.Open(fmt.Sprintf("/tmp/client%d", id), linux.O_WRONLY|linux.O_CREAT|linux.O_TRUNC, 0o644)
	if err != nil {
		tally.fail(fmt.Errorf("open log: %w", err))
		return nil
	}
	return &demoLog{c: c, fd: fd}
}

// record writes round i's record.
func (l *demoLog) record(id, i int, tally *Tally) {
	if l == nil {
		return
	}
	rec := []byte(fmt.Sprintf("%-*s\n", recordBytes-1, fmt.Sprintf("client %d round %d", id, i)))
	if _, err := l.c.Pwrite(l.fd, rec, int64(i-1)*recordBytes); err != nil {
		tally.fail(fmt.Errorf("write log: %w", err))
		return
	}
	tally.FileWrites++
}

// close fsyncs and closes the log.
func (l *demoLog) close(tally *Tally) {
	if l == nil {
		return
	}
	if err := l.c.Fsync(l.fd); err != nil {
		tally.fail(fmt.Errorf("fsync log: %w", err))
	}
	_ = l.c.Close(l.fd)
}
