package fsproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

func TestEveryRequestHasAName(t *testing.T) {
	for ty := fsproto.Open; ty <= fsproto.LastRequest; ty++ {
		assert.NotEmpty(t, fsproto.Names[ty], "type %d", ty)
	}
	assert.Len(t, fsproto.Names, int(fsproto.LastRequest))
	assert.Less(t, fsproto.PathWord, ipc.PayloadWords)
}

func TestFD(t *testing.T) {
	fd := fsproto.MakeFD(7, 3)
	assert.Equal(t, 3, fd.Num())
	assert.Equal(t, uint32(7), fd.Epoch())
	assert.Equal(t, "3", fd.String())
}

func TestAttrRoundTrip(t *testing.T) {
	a := fsproto.Attr{Ino: 9, Mode: linux.S_IFDIR | 0o755, Nlink: 2, Size: 4096, Blocks: 8, BlkSize: 4096,
		Atime: 1, Mtime: -2, Ctime: 3, UID: 1000, GID: 100}
	var b [fsproto.AttrSize]byte
	a.Encode(b[:])
	assert.Equal(t, a, fsproto.DecodeAttr(b[:]))
	assert.True(t, a.IsDir())
	assert.False(t, a.IsRegular() || a.IsSymlink())
}

func TestDirEntries(t *testing.T) {
	es := []fsproto.DirEntry{{Name: ".", Ino: 1, Type: linux.DT_DIR}, {Name: "file", Ino: 12, Type: linux.DT_REG}}
	var buf []byte
	for _, e := range es {
		b := make([]byte, e.EncodedSize())
		e.Encode(b)
		buf = append(buf, b...)
	}
	assert.Equal(t, es, fsproto.DecodeDirEntries(buf))
	assert.Equal(t, es[:1], fsproto.DecodeDirEntries(buf[:len(buf)-1]), "a truncated record is dropped")
	assert.Equal(t, uint8(linux.DT_LNK), fsproto.TypeOfMode(linux.S_IFLNK|0o777))
}
