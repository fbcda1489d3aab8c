package fs

import (
	"encoding/binary"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Layer 4: directories. A directory is a file of 64-byte entries
// (layout.Dirent); an entry with inode 0 is free. Entries are found by a
// linear scan, reused when free, and appended a whole block at a time;
// directories never shrink (as in ext2). "." and ".." are real entries.

// dirBlocks returns the disk blocks of directory dp, fetched into the
// cache. A directory has no holes.
func (f *FS) dirBlocks(dp *inode) ([]uint32, error) {
	nos := make([]uint32, dp.Size/layout.BlockSize)
	for i := range nos {
		no, err := f.bmap(dp, uint32(i), false)
		if err != nil {
			return nil, err
		}
		if no == 0 {
			return nil, corruptf("directory %d: block %d is a hole", dp.ino, i)
		}
		nos[i] = no
	}
	return nos, f.c.prefetch(nos)
}

// dirScan calls fn with the byte offset and raw bytes of every entry slot
// of dp from slot index `from` on, free slots included, until fn returns
// true. It returns the offset fn stopped at, or -1.
func (f *FS) dirScan(dp *inode, from int64, fn func(off int64, raw []byte) bool) (int64, error) {
	nos, err := f.dirBlocks(dp)
	if err != nil {
		return -1, err
	}
	for off := from * layout.DirentSize; off < int64(dp.Size); off += layout.DirentSize {
		b, err := f.c.get(nos[off/layout.BlockSize])
		if err != nil {
			return -1, err
		}
		k := off % layout.BlockSize
		if fn(off, b.data[k:k+layout.DirentSize]) {
			return off, nil
		}
	}
	return -1, nil
}

// entryIno returns the inode number of a raw entry.
func entryIno(raw []byte) uint32 { return binary.LittleEndian.Uint32(raw) }

// entryIs reports whether raw is an entry in use named name.
func entryIs(raw []byte, name string) bool {
	return entryIno(raw) != 0 && layout.NameLen(raw) == len(name) && string(raw[6:6+len(name)]) == name
}

// dirLookup returns the inode number named name in dp and the entry's
// offset; 0 and -1 when there is none.
func (f *FS) dirLookup(dp *inode, name string) (uint32, int64, error) {
	var ino uint32
	off, err := f.dirScan(dp, 0, func(_ int64, raw []byte) bool {
		if entryIs(raw, name) {
			ino = entryIno(raw)
			return true
		}
		return false
	})
	return ino, off, err
}

// dirLink adds the entry name → ino (of file type typ, DT_*) to dp, in the
// first free slot or a new block at the end.
func (f *FS) dirLink(dp *inode, name string, ino uint32, typ uint8) error {
	off, err := f.dirScan(dp, 0, func(_ int64, raw []byte) bool { return entryIno(raw) == 0 })
	if err != nil {
		return err
	}
	if off < 0 {
		off = int64(dp.Size)
		if _, err := f.bmap(dp, uint32(off/layout.BlockSize), true); err != nil {
			return err
		}
		dp.Size += layout.BlockSize
	}
	return f.dirWrite(dp, off, &layout.Dirent{Ino: ino, Type: typ, Name: name})
}

// dirWrite writes entry e (nil: a free entry) at offset off of dp.
func (f *FS) dirWrite(dp *inode, off int64, e *layout.Dirent) error {
	no, err := f.bmap(dp, uint32(off/layout.BlockSize), false)
	if err != nil {
		return err
	}
	if no == 0 {
		return corruptf("directory %d: block %d is a hole", dp.ino, off/layout.BlockSize)
	}
	b, err := f.c.get(no)
	if err != nil {
		return err
	}
	f.j.change(b)
	raw := b.data[off%layout.BlockSize:]
	if e == nil {
		clear(raw[:layout.DirentSize])
	} else {
		e.Encode(raw)
	}
	f.touch(dp)
	return f.iput(dp)
}

// dirRepoint makes the entry at off of dp name inode ino of type typ,
// keeping its name: rename over an existing name, and a moved
// directory's "..".
func (f *FS) dirRepoint(dp *inode, off int64, ino uint32, typ uint8) error {
	var name string
	if _, err := f.dirScan(dp, off/layout.DirentSize, func(_ int64, raw []byte) bool {
		name = layout.DecodeDirent(raw).Name
		return true
	}); err != nil {
		return err
	}
	return f.dirWrite(dp, off, &layout.Dirent{Ino: ino, Type: typ, Name: name})
}

// dirEmpty reports whether dp holds nothing but "." and "..".
func (f *FS) dirEmpty(dp *inode) (bool, error) {
	off, err := f.dirScan(dp, 0, func(_ int64, raw []byte) bool {
		return entryIno(raw) != 0 && !entryIs(raw, ".") && !entryIs(raw, "..")
	})
	return off < 0, err
}

// dirInit writes the first block of new directory dp: "." and "..".
func (f *FS) dirInit(dp *inode, parent uint32) error {
	if _, err := f.bmap(dp, 0, true); err != nil {
		return err
	}
	dp.Size = layout.BlockSize
	if err := f.dirWrite(dp, 0, &layout.Dirent{Ino: dp.ino, Type: linux.DT_DIR, Name: "."}); err != nil {
		return err
	}
	return f.dirWrite(dp, layout.DirentSize, &layout.Dirent{Ino: parent, Type: linux.DT_DIR, Name: ".."})
}
