package fs

import (
	"errors"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Reading and writing an inode's bytes.

// readi reads from ip at off into dst and returns the bytes read: fewer
// than len(dst) at the end of the file, 0 at or past it. Holes read as
// zeros. The blocks are fetched first, contiguous ones in one request.
func (f *FS) readi(ip *inode, dst []byte, off int64) (int, error) {
	if off >= int64(ip.Size) || len(dst) == 0 {
		return 0, nil
	}
	n := int(min(int64(len(dst)), int64(ip.Size)-off))
	first := uint32(off / layout.BlockSize)
	last := uint32((off + int64(n) - 1) / layout.BlockSize)
	nos := make([]uint32, last-first+1)
	for i := range nos {
		no, err := f.bmap(ip, first+uint32(i), false)
		if err != nil {
			return 0, err
		}
		nos[i] = no
	}
	if err := f.c.prefetch(nos); err != nil {
		return 0, err
	}
	done := 0
	for i, no := range nos {
		k := 0
		if i == 0 {
			k = int(off % layout.BlockSize)
		}
		m := min(layout.BlockSize-k, n-done)
		if no == 0 {
			clear(dst[done : done+m])
		} else {
			b, err := f.c.get(no)
			if err != nil {
				return 0, err
			}
			copy(dst[done:done+m], b.data[k:])
		}
		done += m
	}
	return done, nil
}

// writei writes src into ip at off, growing the file and filling holes as
// needed, and writes ip back. When the disk fills up midway it returns the
// bytes written (a short write) and no error, or ENOSPC if none were.
func (f *FS) writei(ip *inode, src []byte, off int64) (int, error) {
	if off >= layout.MaxFileSize && len(src) > 0 {
		return 0, linux.EFBIG
	}
	src = src[:min(int64(len(src)), layout.MaxFileSize-off)]
	done := 0
	var err error
	for done < len(src) {
		pos := off + int64(done)
		k := int(pos % layout.BlockSize)
		m := min(layout.BlockSize-k, len(src)-done)
		var no uint32
		if no, err = f.bmap(ip, uint32(pos/layout.BlockSize), true); err != nil {
			break
		}
		var b *buf
		if k == 0 && m == layout.BlockSize {
			b = f.c.getNoRead(no)
		} else if b, err = f.c.get(no); err != nil {
			break
		}
		f.j.change(b)
		copy(b.data[k:], src[done:done+m])
		done += m
	}
	if done > 0 {
		ip.Size = max(ip.Size, uint64(off)+uint64(done))
		f.touch(ip)
	}
	if perr := f.iput(ip); perr != nil {
		return done, perr
	}
	if err != nil && (done == 0 || !errors.Is(err, linux.ENOSPC)) {
		return done, err
	}
	return done, nil
}
