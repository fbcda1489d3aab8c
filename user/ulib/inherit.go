package ulib

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Descriptors across spawn. LECTURE: fd-inheritance
//
// pm carries a child's descriptors as a list of opaque ints and hands them
// to the child (pmproto.Client.Fds); what they mean is the library's
// business. The library packs a record of the child's table into them:
//
//	int 0      fdMagic
//	int 1      the record's length in bytes
//	ints 2…    the record, four bytes to an int, little-endian
//
// The record: the working directory, then one entry per descriptor —
// its number, and
//
//   - for a stream: the service id and a handle of its own, which the
//     parent made with streamproto's Dup before the spawn, so the child
//     closes it when it ends and a pipe ends when its last writer does;
//     the child adopts a pipe's or a socket's handle as it starts
//     (adopt), so the pipe (net) server closes it if the child is killed;
//   - for a file of the file server, whose descriptors belong to one task:
//     the path, the flags and the offset, and the child opens the file
//     again (without O_CREAT, O_EXCL, O_TRUNC) and seeks there.
//
// Two processes with one file open share no offset then, as they would on
// Unix. The case that matters — a shell's commands taking turns to write to
// one redirected file, as `sh script > out` does — works because a file
// passed on for writing at its end (after `>` or `>>`) is shared in
// append mode: the child opens it with O_APPEND and the parent's later
// writes go to the end too. A file passed on in the middle starts at the
// parent's offset in the child, and each goes on from there alone.

// fdMagic marks a descriptor list the library wrote ("MKFD").
const fdMagic = 0x444b464d

// Entry kinds of the record.
const (
	recStream = 1
	recFS     = 2
)

// record is the encoder and decoder of the record.
type record struct {
	b   []byte
	bad bool
}

func (r *record) u64(v uint64)  { r.b = binary.AppendUvarint(r.b, v) }
func (r *record) str(s string)  { r.u64(uint64(len(s))); r.b = append(r.b, s...) }
func (r *record) i64(v int64)   { r.b = binary.AppendVarint(r.b, v) }
func (r *record) more() bool    { return !r.bad && len(r.b) > 0 }
func (r *record) fail() uint64  { r.bad = true; return 0 }
func (r *record) getI64() int64 { v, n := binary.Varint(r.b); return r.advance(n, v) }

func (r *record) getU64() uint64 {
	v, n := binary.Uvarint(r.b)
	return uint64(r.advance(n, int64(v)))
}

func (r *record) advance(n int, v int64) int64 {
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *record) getStr() string {
	n := r.getU64()
	if r.bad || n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// pack lays the record out as ints.
func (r *record) pack() []int {
	out := []int{fdMagic, len(r.b)}
	for i := 0; i < len(r.b); i += 4 {
		var w [4]byte
		copy(w[:], r.b[i:])
		out = append(out, int(int32(binary.LittleEndian.Uint32(w[:]))))
	}
	return out
}

// unpack reads a record laid out by pack; false for a list the library
// did not write.
func unpack(ints []int) (*record, bool) {
	if len(ints) < 2 || ints[0] != fdMagic || ints[1] < 0 || ints[1] > 4*(len(ints)-2) {
		return nil, false
	}
	b := make([]byte, 0, 4*(len(ints)-2))
	for _, v := range ints[2:] {
		b = binary.LittleEndian.AppendUint32(b, uint32(int32(v)))
	}
	return &record{b: b[:ints[1]]}, true
}

// passFiles writes the record of a child's table: child descriptor i is
// the caller's files[i] (-1: none). undo closes the stream handles made
// for the child, for a spawn that fails.
func (p *Proc) passFiles(files []int) (ints []int, undo func(), err error) {
	var dups []*openFile
	undo = func() {
		for _, d := range dups {
			_ = p.release(d)
		}
	}
	r := &record{}
	r.str(p.Getcwd())
	for child, fd := range files {
		if fd < 0 {
			continue
		}
		f, err := p.file(fd)
		if err != nil {
			undo()
			return nil, nil, err
		}
		r.u64(uint64(child))
		if err := p.passFile(r, f, &dups); err != nil {
			undo()
			return nil, nil, err
		}
	}
	return r.pack(), undo, nil
}

// passFile writes one entry.
func (p *Proc) passFile(r *record, f *openFile, dups *[]*openFile) error {
	if f.kind == kindStream {
		var h streamproto.Handle
		err := retryNoInstance(func() error {
			var err error
			h, err = p.stream(f.svc).Dup(f.h)
			return err
		})
		if err != nil {
			return err
		}
		*dups = append(*dups, &openFile{kind: kindStream, svc: f.svc, h: h})
		r.u64(recStream)
		r.u64(uint64(f.svc))
		r.u64(uint64(h))
		r.u64(uint64(f.flags))
		r.str(f.dev)
		return nil
	}
	flags := f.flags
	if f.writable() && flags&linux.O_APPEND == 0 && p.atEnd(f) {
		f.atEnd = true
	}
	if f.atEnd {
		flags |= linux.O_APPEND
	}
	r.u64(recFS)
	r.str(f.path)
	r.u64(uint64(flags))
	r.i64(f.off)
	return nil
}

// atEnd reports whether f's offset is at the end of its file.
func (p *Proc) atEnd(f *openFile) bool {
	var a fsproto.Attr
	err := p.fdRetry(f, func(c fsproto.Client, fd fsproto.FD) error {
		var err error
		a, err = c.Fstat(fd)
		return err
	})
	return err == nil && f.off >= a.Size
}

// inherit builds the table of a process pm spawned from what its parent
// passed on. A file that cannot be opened again (it was removed) is left
// closed.
func (p *Proc) inherit() {
	ints, err := p.Fds()
	if err != nil {
		return
	}
	r, ok := unpack(ints)
	if !ok {
		return
	}
	if cwd := r.getStr(); !r.bad && cwd != "" {
		p.files.cwd = cwd
	}
	for r.more() {
		n := int(r.getU64())
		f := p.readEntry(r)
		if r.bad || n >= maxFds {
			return
		}
		if f != nil {
			p.installAt(f, n)
		}
	}
}

// adopt makes an inherited pipe handle the process's own, at once: a
// handle it makes itself (Dup) in place of the one its parent made for it
// (Close). The pipe server closes a handle when the last task that holds
// it dies, and counts the parent as the holder of the handle it made
// until another task uses it (servers/pipe/exit.go); adopted, the handle
// goes when this process dies, killed or not, even if it never used it —
// `sleep 10 | wc` with sleep killed ends for wc — and not when the parent
// does. If Dup fails the parent's handle is kept.
func (p *Proc) adopt(f *openFile) {
	c := p.stream(f.svc)
	h, err := c.Dup(f.h)
	if err != nil {
		return
	}
	_ = c.Close(f.h)
	f.h = h
}

// readEntry reads one entry and opens its file; nil when that fails.
func (p *Proc) readEntry(r *record) *openFile {
	switch r.getU64() {
	case recStream:
		f := &openFile{kind: kindStream, svc: ipc.ServiceID(r.getU64()), h: streamproto.Handle(r.getU64())}
		f.flags, f.dev = int(r.getU64()), r.getStr()
		if !r.bad && (f.dev == "pipe" || f.dev == devSocket) {
			p.adopt(f)
		}
		return f
	case recFS:
		f := &openFile{kind: kindFS, path: r.getStr()}
		f.flags, f.off = int(r.getU64()), r.getI64()
		if r.bad || p.reopen(f) != nil {
			return nil
		}
		return f
	}
	r.fail()
	return nil
}
