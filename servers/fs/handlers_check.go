package fs

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// Request fields no correct client sends: refused with EINVAL before a
// handler runs, rather than clamped or cut to fit, so that a hostile or
// buggy program learns at once. Paths, offsets, whence and sizes are
// checked where they are used (ENAMETOOLONG, EINVAL), after the
// descriptor or path they go with, as POSIX orders the errors.

// maxMode is the largest mode a request may carry: permission bits,
// set-user-id, set-group-id and sticky.
const maxMode = 0o7777

// fieldChecks gives, per request type, the words that must be bounded:
// {word, most}.
var fieldChecks = map[ipc.Type][][2]uint64{
	fsproto.Open:    {{0, 1<<32 - 1}, {1, maxMode}}, // flags are an int; a mode
	fsproto.Read:    {{1, ipc.MaxBulk}},
	fsproto.Pread:   {{1, ipc.MaxBulk}},
	fsproto.Write:   {{1, ipc.MaxBulk}},
	fsproto.Pwrite:  {{1, ipc.MaxBulk}},
	fsproto.Mkdir:   {{0, maxMode}},
	fsproto.Chmod:   {{0, maxMode}},
	fsproto.ReadDir: {{1, ipc.MaxBulk}},
}

// checkFields returns EINVAL when a word of req is past its bound.
func checkFields(req *ipc.Message) ipc.Errno {
	for _, c := range fieldChecks[req.Type] {
		if req.Word(int(c[0])) > c[1] {
			return linux.EINVAL
		}
	}
	return 0
}
