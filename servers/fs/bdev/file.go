package bdev

import (
	"errors"
	"fmt"
	"os"
)

// File is a block device backed by a host image file: data survives
// between runs. Flush is fsync(2) on the host.
type File struct {
	f        *os.File
	bs       int
	n        int64
	readOnly bool
}

// ErrReadOnly is the error of a write to an image opened read-only.
var ErrReadOnly = errors.New("the image is open read-only")

// OpenFile opens the image at path, whose size must be a whole number of
// blocks of bs bytes.
func OpenFile(path string, bs int) (*File, error) { return openFile(path, bs, os.O_RDWR) }

// OpenFileReadOnly opens the image at path for reading only (fsck without
// --repair): a write fails with ErrReadOnly.
func OpenFileReadOnly(path string, bs int) (*File, error) {
	d, err := openFile(path, bs, os.O_RDONLY)
	if d != nil {
		d.readOnly = true
	}
	return d, err
}

func openFile(path string, bs, flag int) (*File, error) {
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() == 0 || st.Size()%int64(bs) != 0 {
		f.Close()
		return nil, fmt.Errorf("%s: size %d is not a whole number of %d-byte blocks", path, st.Size(), bs)
	}
	return &File{f: f, bs: bs, n: st.Size() / int64(bs)}, nil
}

// CreateFile creates (or truncates) the image at path with size bytes,
// rounded down to whole blocks. The file is sparse: unwritten blocks read
// as zeros and take no host space.
func CreateFile(path string, size int64, bs int) (*File, error) {
	n := size / int64(bs)
	if n < 1 {
		return nil, fmt.Errorf("%s: size %d is less than one %d-byte block", path, size, bs)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(n * int64(bs)); err != nil {
		f.Close()
		return nil, err
	}
	return &File{f: f, bs: bs, n: n}, nil
}

// BlockSize returns the block size.
func (d *File) BlockSize() int { return d.bs }

// Blocks returns the number of blocks.
func (d *File) Blocks() int64 { return d.n }

// ReadBlocks reads whole blocks.
func (d *File) ReadBlocks(block int64, buf []byte) error {
	if err := check(d.bs, d.n, block, buf); err != nil {
		return err
	}
	_, err := d.f.ReadAt(buf, block*int64(d.bs))
	return err
}

// WriteBlocks writes whole blocks.
func (d *File) WriteBlocks(block int64, buf []byte) error {
	if err := check(d.bs, d.n, block, buf); err != nil {
		return err
	}
	if d.readOnly {
		return ErrReadOnly
	}
	_, err := d.f.WriteAt(buf, block*int64(d.bs))
	return err
}

// Flush syncs the image file to the host's disk.
func (d *File) Flush() error { return d.f.Sync() }

// Close closes the image file.
func (d *File) Close() error { return d.f.Close() }
