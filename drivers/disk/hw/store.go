package hw

import (
	"errors"
	"fmt"
	"os"
)

// store is where a disk's blocks live. Offsets are in bytes and always a
// whole number of blocks inside the disk: the Disk checks them first.
type store interface {
	readAt(buf []byte, off int64) error
	writeAt(buf []byte, off int64) error
	close() error
}

// memStore keeps blocks in memory, allocating a block only when it is first
// written: a large disk that is mostly empty costs little.
type memStore struct {
	blockSize int
	blocks    map[int64][]byte
}

func newMemStore(blockSize int) *memStore {
	return &memStore{blockSize: blockSize, blocks: map[int64][]byte{}}
}

func (m *memStore) readAt(buf []byte, off int64) error {
	bs := int64(m.blockSize)
	for i := int64(0); i < int64(len(buf)); i += bs {
		dst := buf[i : i+bs]
		if b, ok := m.blocks[(off+i)/bs]; ok {
			copy(dst, b)
		} else {
			clear(dst)
		}
	}
	return nil
}

func (m *memStore) writeAt(buf []byte, off int64) error {
	bs := int64(m.blockSize)
	for i := int64(0); i < int64(len(buf)); i += bs {
		n := (off + i) / bs
		b, ok := m.blocks[n]
		if !ok {
			b = make([]byte, bs)
			m.blocks[n] = b
		}
		copy(b, buf[i:i+bs])
	}
	return nil
}

func (m *memStore) close() error { return nil }

// fileStore keeps blocks in a host image file: block n at byte n×blockSize.
type fileStore struct {
	f *os.File
}

// openFileStore opens the image at path, creating it with sizeBytes when it
// does not exist (0: defaultSize). An existing image keeps its size, which
// must agree with sizeBytes when that is given. It returns the size.
func openFileStore(path string, sizeBytes, defaultSize int64) (*fileStore, int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	size := fi.Size()
	switch {
	case size == 0:
		size = sizeBytes
		if size == 0 {
			size = defaultSize
		}
		err = f.Truncate(size) // sparse: a new image takes no room until written
	case sizeBytes != 0 && sizeBytes != size:
		err = fmt.Errorf("image %s has %d bytes, the configuration says %d", path, size, sizeBytes)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return &fileStore{f: f}, size, nil
}

func (s *fileStore) readAt(buf []byte, off int64) error {
	_, err := s.f.ReadAt(buf, off)
	return err
}

func (s *fileStore) writeAt(buf []byte, off int64) error {
	_, err := s.f.WriteAt(buf, off)
	return err
}

// close syncs the image to the host's disk and closes it.
func (s *fileStore) close() error {
	return errors.Join(s.f.Sync(), s.f.Close())
}
