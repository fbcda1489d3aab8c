package bench

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// seqioState holds one chunk of data and the read buffer.
type seqioState struct{ chunk, buf []byte }

var seqioWorkload = &Workload{
	Name:  "seqio",
	Doc:   "write a large file sequentially (8 MiB; 64 MiB with --large), fsync, read it back",
	Needs: []string{fsproto.Name},
	Setup: func(e *Env) error {
		st := &seqioState{chunk: make([]byte, ipc.MaxBulk), buf: make([]byte, ipc.MaxBulk)}
		for i := range st.chunk {
			st.chunk[i] = byte(i*13 + 5)
		}
		e.State = st
		return nil
	},
	Op:         seqio,
	VirtualOps: 2,
}

// seqio writes the file in bulk-window chunks, each stamped with its
// index, syncs it, reads it back and checks every chunk.
func seqio(e *Env, i int) error {
	st := e.State.(*seqioState)
	name := fmt.Sprintf("/seq%d", i%2)
	fd, err := e.FS.Open(name, linux.O_RDWR|linux.O_CREAT|linux.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	chunks := int(e.Setup.seqBytes() / int64(len(st.chunk)))
	for k := range chunks {
		binary.LittleEndian.PutUint64(st.chunk, uint64(k))
		if _, err := e.FS.Write(fd, st.chunk); err != nil {
			return fmt.Errorf("write chunk %d: %w", k, err)
		}
	}
	if err := e.FS.Fsync(fd); err != nil {
		return err
	}
	if err := readChunks(e.FS, fd, st, chunks); err != nil {
		return err
	}
	if err := e.FS.Close(fd); err != nil {
		return err
	}
	return e.FS.Unlink(name)
}

// readChunks reads the file from the start and checks each chunk.
func readChunks(c fsproto.Client, fd fsproto.FD, st *seqioState, chunks int) error {
	for k := range chunks {
		n, err := c.Pread(fd, st.buf, int64(k*len(st.buf)))
		if err != nil {
			return fmt.Errorf("read chunk %d: %w", k, err)
		}
		binary.LittleEndian.PutUint64(st.chunk, uint64(k))
		if !bytes.Equal(st.buf[:n], st.chunk) {
			return fmt.Errorf("chunk %d: read %d bytes that differ from those written", k, n)
		}
	}
	return nil
}
