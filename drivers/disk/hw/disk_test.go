package hw

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// The kernel's side of the device, for tests: start an operation at now
// and finish it at the time the disk said.
func do(t *testing.T, d *Disk, now int64, op uint16, block int64, buf []byte) (doneAt int64, c ipc.DevCompletion) {
	t.Helper()
	req := &ipc.DevRequest{Op: op, Arg: [4]int64{block, int64(len(buf) / d.Geometry().BlockSize)}, Buf: buf}
	doneAt, e := d.Start(now, req)
	require.Zero(t, e, "Start(op %d, block %d)", op, block)
	return doneAt, d.Finish(doneAt, req)
}

// pattern returns n blocks of 4 KiB filled with byte b.
func pattern(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n*4096) }

func open(t *testing.T, o Options) *Disk {
	t.Helper()
	d, err := Open(o)
	require.NoError(t, err)
	t.Cleanup(func() { d.Close() })
	return d
}

func TestReadAfterWriteAndCounters(t *testing.T) {
	d := open(t, Options{SizeBytes: 1 << 20, Kind: KindSSD})
	at, c := do(t, d, 0, OpWrite, 10, pattern(7, 2))
	assert.Equal(t, ipc.DevCompletion{N: 8192}, c)
	assert.Equal(t, int64(200_000+16_384), at, "SSD write of 8 KiB")
	got := make([]byte, 3*4096)
	_, c = do(t, d, at, OpRead, 9, got)
	assert.Equal(t, 12288, c.N)
	assert.Equal(t, pattern(0, 1), got[:4096], "block 9 was never written")
	assert.Equal(t, pattern(7, 2), got[4096:], "blocks 10 and 11")
	assert.Equal(t, Stats{Reads: 1, Writes: 1, BytesRead: 12288, BytesWritten: 8192, BusyNs: 216_384 + 25_000 + 24_576}, d.Stats())
}

func TestHDDCountsSeeks(t *testing.T) {
	d := open(t, Options{}) // 64 MiB HDD: 203 blocks a track
	buf := pattern(1, 1)
	now := int64(0)
	for _, b := range []int64{0, 1, 203 * 40, 203*40 + 1, 203 * 10} {
		now, _ = do(t, d, now, OpRead, b, buf)
	}
	st := d.Stats()
	assert.Equal(t, int64(5), st.Reads)
	assert.Equal(t, int64(2), st.Seeks, "to cylinder 40 and back to 10")
	assert.Equal(t, int64(40+30), st.SeekCylinders)
	assert.Equal(t, now, st.BusyNs, "back to back: the disk was busy all along")
}

func TestIdentify(t *testing.T) {
	d := open(t, Options{SizeBytes: 1 << 20, BlockSize: 512, Kind: KindSSD})
	buf := make([]byte, IdentifySize)
	at, c := do(t, d, 100, OpIdentify, 0, buf)
	assert.Equal(t, int64(100), at, "identify takes no time")
	assert.Equal(t, IdentifySize, c.N)
	assert.Equal(t, Geometry{BlockSize: 512, Blocks: 2048, Kind: "ssd"}, DecodeIdentify(buf))
	assert.Equal(t, d.Geometry(), DecodeIdentify(buf))
}

func TestBadRequests(t *testing.T) {
	d := open(t, Options{SizeBytes: 64 * 4096})
	for _, c := range []struct {
		name string
		req  ipc.DevRequest
		want ipc.Errno
	}{
		{"unknown op", ipc.DevRequest{Op: 99, Buf: make([]byte, 4096)}, linux.EINVAL},
		{"count 0", ipc.DevRequest{Op: OpRead, Arg: [4]int64{0, 0}, Buf: make([]byte, 4096)}, linux.EINVAL},
		{"negative block", ipc.DevRequest{Op: OpRead, Arg: [4]int64{-1, 1}, Buf: make([]byte, 4096)}, linux.EINVAL},
		{"past the end", ipc.DevRequest{Op: OpWrite, Arg: [4]int64{63, 2}, Buf: make([]byte, 8192)}, linux.EINVAL},
		{"huge count", ipc.DevRequest{Op: OpWrite, Arg: [4]int64{1, 1 << 62}, Buf: make([]byte, 8192)}, linux.EINVAL},
		{"buffer too small", ipc.DevRequest{Op: OpRead, Arg: [4]int64{0, 2}, Buf: make([]byte, 4096)}, linux.EINVAL},
		{"identify buffer too small", ipc.DevRequest{Op: OpIdentify, Buf: make([]byte, 8)}, linux.EINVAL},
	} {
		_, e := d.Start(0, &c.req)
		assert.Equal(t, c.want, e, c.name)
	}
	req := &ipc.DevRequest{Op: OpRead, Arg: [4]int64{0, 1}, Buf: make([]byte, 4096)}
	_, e := d.Start(0, req)
	require.Zero(t, e)
	_, e = d.Start(0, req)
	assert.Equal(t, linux.EBUSY, e, "a second operation while one is in flight")
	assert.Equal(t, Stats{BusyNs: 40_960}, d.Stats(), "refused operations count nothing; the one started is busy")
}

func TestOptionErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Options
		want string
	}{
		{"block size not a power of two", Options{BlockSize: 1000}, "block size 1000"},
		{"block size above MaxBulk", Options{BlockSize: 1 << 17}, "block size 131072"},
		{"kind", Options{Kind: "floppy"}, `kind "floppy"`},
		{"size not whole blocks", Options{SizeBytes: 5000}, "size 5000"},
		{"negative size", Options{SizeBytes: -1}, "size -1"},
	} {
		_, err := Open(c.o)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

// An image file keeps its blocks between runs: written through the
// device, closed, opened again with no size given.
func TestImagePersistsAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "disk.img")
	d, err := Open(Options{Image: path, SizeBytes: 1 << 20})
	require.NoError(t, err)
	do(t, d, 0, OpWrite, 255, pattern(0xab, 1))
	require.NoError(t, d.Close())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, int64(1<<20), fi.Size())

	d = open(t, Options{Image: path})
	assert.Equal(t, int64(256), d.Geometry().Blocks, "the size comes from the image")
	got := make([]byte, 4096)
	do(t, d, 0, OpRead, 255, got)
	assert.Equal(t, pattern(0xab, 1), got)

	_, err = Open(Options{Image: path, SizeBytes: 2 << 20})
	assert.ErrorContains(t, err, "has 1048576 bytes, the configuration says 2097152")
}

// A power cut loses exactly the write in flight: the completed one is on
// the medium, the cut one is not, and the disk refuses work until it is
// powered on.
func TestPowerCutLosesTheWriteInFlight(t *testing.T) {
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			d := open(t, Options{SizeBytes: 1 << 20, Kind: kind})
			at, _ := do(t, d, 0, OpWrite, 0, pattern(1, 2))
			req := &ipc.DevRequest{Op: OpWrite, Arg: [4]int64{100, 4}, Buf: pattern(2, 4)}
			doneAt, e := d.Start(at, req)
			require.Zero(t, e)
			d.PowerCut(doneAt - 1)
			assert.False(t, d.Powered())
			assert.Equal(t, linux.EIO, d.Finish(doneAt, req).Errno, "the cut write completes with EIO")
			_, e = d.Start(doneAt, &ipc.DevRequest{Op: OpRead, Arg: [4]int64{0, 1}, Buf: make([]byte, 4096)})
			assert.Equal(t, linux.EIO, e, "no power, no operation")

			d.PowerOn()
			got := make([]byte, 6*4096)
			do(t, d, doneAt, OpRead, 0, got[:2*4096])
			do(t, d, doneAt, OpRead, 100, got[2*4096:])
			assert.Equal(t, pattern(1, 2), got[:2*4096], "the completed write survived")
			assert.Equal(t, pattern(0, 4), got[2*4096:], "the cut write left nothing")
			assert.Equal(t, int64(1), d.Stats().LostWrites)
			assert.Equal(t, int64(1), d.Stats().Writes, "only the completed write counts")
		})
	}
}

// With torn writes, the blocks transferred before the cut reach the
// medium, block by block. An SSD write of 4 blocks: 200 µs to program,
// then 8192 ns per block.
func TestPowerCutTearsAtBlockGranularity(t *testing.T) {
	for _, c := range []struct {
		name   string
		cutAt  int64
		blocks int
	}{
		{"before the transfer", 200_000, 0},
		{"inside the first block", 200_000 + 8_191, 0},
		{"after two blocks", 200_000 + 2*8_192 + 1, 2},
		{"after three blocks", 200_000 + 3*8_192, 3},
		{"at completion, before the interrupt", 200_000 + 4*8_192, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := open(t, Options{SizeBytes: 1 << 20, Kind: KindSSD, TornWrites: true})
			buf := append(pattern(1, 1), append(pattern(2, 1), append(pattern(3, 1), pattern(4, 1)...)...)...)
			req := &ipc.DevRequest{Op: OpWrite, Arg: [4]int64{8, 4}, Buf: buf}
			doneAt, e := d.Start(0, req)
			require.Zero(t, e)
			require.Equal(t, int64(200_000+4*8_192), doneAt)
			d.PowerCut(c.cutAt)
			assert.Equal(t, linux.EIO, d.Finish(doneAt, req).Errno)
			got := make([]byte, 4*4096)
			require.NoError(t, d.ReadBlocks(8, got))
			want := append(buf[:c.blocks*4096:c.blocks*4096], pattern(0, 4-c.blocks)...)
			assert.Equal(t, want, got)
			assert.Equal(t, int64(c.blocks), d.Stats().TornBlocks)
		})
	}
}

func TestPowerCutOfAReadChangesNothing(t *testing.T) {
	d := open(t, Options{SizeBytes: 1 << 20, TornWrites: true})
	require.NoError(t, d.WriteBlocks(3, pattern(9, 1)))
	buf := make([]byte, 4096)
	req := &ipc.DevRequest{Op: OpRead, Arg: [4]int64{3, 1}, Buf: buf}
	doneAt, e := d.Start(0, req)
	require.Zero(t, e)
	d.PowerCut(doneAt - 1)
	assert.Equal(t, linux.EIO, d.Finish(doneAt, req).Errno)
	assert.Equal(t, pattern(0, 1), buf, "the cut read delivers nothing")
	assert.Zero(t, d.Stats().LostWrites)
	d.PowerOn()
	do(t, d, doneAt, OpRead, 3, buf)
	assert.Equal(t, pattern(9, 1), buf)
}

func TestOfflineAccessChecksBounds(t *testing.T) {
	d := open(t, Options{SizeBytes: 8 * 4096})
	assert.NoError(t, d.WriteBlocks(7, pattern(1, 1)))
	assert.Error(t, d.WriteBlocks(7, pattern(1, 2)), "past the end")
	assert.Error(t, d.ReadBlocks(0, make([]byte, 100)), "not whole blocks")
	assert.Error(t, d.ReadBlocks(-1, make([]byte, 4096)), "negative block")
}
