package bench

import (
	"bytes"
	"fmt"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// fileioBytes is the size of fileio's small file.
const fileioBytes = 4096

// fileioState holds the data written and the buffer read into.
type fileioState struct{ data, buf []byte }

var fileioWorkload = &Workload{
	Name:  "fileio",
	Doc:   "create a small file, write 4 KiB, read it back, close, unlink",
	Needs: []string{fsproto.Name},
	Setup: func(e *Env) error {
		st := &fileioState{data: make([]byte, fileioBytes), buf: make([]byte, fileioBytes)}
		for i := range st.data {
			st.data[i] = byte(i*7 + 1)
		}
		e.State = st
		return e.FS.Mkdir("/small", 0o755)
	},
	Op: func(e *Env, i int) error {
		st := e.State.(*fileioState)
		return smallFile(e.FS, fmt.Sprintf("/small/f%d", i%64), st.data, st.buf)
	},
	VirtualOps: 200,
}

// smallFile is one create–write–read–close–unlink cycle, checking what
// it reads.
func smallFile(c fsproto.Client, name string, data, buf []byte) error {
	fd, err := c.Open(name, linux.O_RDWR|linux.O_CREAT|linux.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := c.Write(fd, data); err != nil {
		return err
	}
	n, err := c.Pread(fd, buf, 0)
	if err != nil {
		return err
	}
	if !bytes.Equal(buf[:n], data) {
		return fmt.Errorf("%s: read %d bytes that differ from the %d written", name, n, len(data))
	}
	if err := c.Close(fd); err != nil {
		return err
	}
	return c.Unlink(name)
}
