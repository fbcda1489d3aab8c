package layout_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name            string
		size            int64
		inodes, journal int
		wantInodes      uint32
		wantJournal     uint32
		wantErr         string
	}{
		{"smallest", 1 << 20, 0, 0, 64, 99, ""},
		{"64 MiB", 64 << 20, 0, 0, 4096, 512, ""},
		{"16 GiB", 16 << 30, 0, 0, 1 << 20, 1018, ""},
		{"inodes rounded up", 4 << 20, 100, 0, 128, 99, ""},
		{"too small", 1<<20 - 1, 0, 0, 0, 0, "1024 KiB to 16 GiB"},
		{"too large", 17 << 30, 0, 0, 0, 0, "1024 KiB to 16 GiB"},
		{"journal too small", 4 << 20, 0, 10, 0, 0, "journal of 10 blocks"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb, err := layout.Plan(tc.size, tc.inodes, tc.journal)
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantInodes, sb.Inodes, "Inodes")
			assert.Equal(t, tc.wantJournal, sb.JournalBlocks, "JournalBlocks")
			assert.GreaterOrEqual(t, sb.JournalCapacity(), 2*sb.MaxOpBlocks())
			assert.NoError(t, sb.Check())
		})
	}
}

func TestSuperblockRoundTripAndDamage(t *testing.T) {
	sb, err := layout.Plan(8<<20, 0, 0)
	require.NoError(t, err)
	sb.Mounts = 7
	b := make([]byte, layout.BlockSize)
	sb.Encode(b)
	got, err := layout.DecodeSuperblock(b)
	require.NoError(t, err)
	assert.Equal(t, sb, got)
	for _, at := range []int{0, 9, 13, 20, 60} {
		bad := append([]byte(nil), b...)
		bad[at] ^= 0x40
		_, err := layout.DecodeSuperblock(bad)
		assert.ErrorIs(t, err, linux.EUCLEAN, "byte %d changed", at)
	}
}

func TestInodeAndDirentRoundTrip(t *testing.T) {
	d := layout.Dinode{Mode: linux.S_IFREG | 0o640, Nlink: 3, Gen: 9, Size: 123456, Blocks: 31,
		Atime: 1, Mtime: 2, Ctime: 3, Ind: 500, DInd: 501, UID: 1000, GID: 100}
	for i := range d.Addrs {
		d.Addrs[i] = uint32(400 + i)
	}
	b := make([]byte, layout.InodeSize)
	d.Encode(b)
	assert.Equal(t, d, layout.DecodeDinode(b))

	e := layout.Dirent{Ino: 42, Type: linux.DT_LNK, Name: "a-name"}
	e.Encode(b)
	assert.Equal(t, e, layout.DecodeDirent(b))
	for name, ok := range map[string]bool{"a": true, "": false, "a/b": false, "x\x00": false,
		string(make([]byte, layout.NameMax)): false} {
		assert.Equal(t, ok, layout.CheckName(name), "%q", name)
	}
}

func TestJournalReplay(t *testing.T) {
	sb, err := layout.Plan(1<<20, 0, 0)
	require.NoError(t, err)
	dev := bdev.NewMem(layout.BlockSize, 256)
	require.NoError(t, layout.Format(dev, sb, 0))
	_, txn, err := layout.ReadJournal(dev, &sb)
	require.NoError(t, err)
	assert.Nil(t, txn, "a fresh journal is empty")

	data := make([]byte, layout.BlockSize)
	data[0] = 0xab
	h := layout.JournalHeader{Seq: 5, Homes: []uint32{200}, DataCRC: layout.Checksum(data)}
	hb := make([]byte, layout.BlockSize)
	h.Encode(hb)
	require.NoError(t, dev.WriteBlocks(int64(sb.JournalStart)+1, data))
	require.NoError(t, dev.WriteBlocks(int64(sb.JournalStart), hb))
	_, txn, err = layout.ReadJournal(dev, &sb)
	require.NoError(t, err)
	require.NotNil(t, txn)
	require.NoError(t, txn.Install(dev, &sb))
	got := make([]byte, layout.BlockSize)
	require.NoError(t, dev.ReadBlocks(200, got))
	assert.Equal(t, data, got)
	h2, txn, err := layout.ReadJournal(dev, &sb)
	require.NoError(t, err)
	assert.Nil(t, txn, "emptied after the install")
	assert.Equal(t, uint64(5), h2.Seq)

	data[1] = 1 // the log no longer matches its checksum
	require.NoError(t, dev.WriteBlocks(int64(sb.JournalStart)+1, data))
	require.NoError(t, dev.WriteBlocks(int64(sb.JournalStart), hb))
	_, _, err = layout.ReadJournal(dev, &sb)
	assert.ErrorContains(t, err, "logged blocks have checksum")
}
