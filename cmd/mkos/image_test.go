package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An empty image gets the same answer from fsck, cp and every run, and
// is left as it is.
func TestEmptyImageOneBehaviour(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "empty.img")
	host := filepath.Join(dir, "n.txt")
	require.NoError(t, os.WriteFile(host, []byte("hi\n"), 0o644))
	for _, args := range [][]string{
		{"fsck", img}, {"fsck", "--repair", img}, {"cp", host, img + ":/n"}, {"cp", img + ":/n", host},
		{"run", "--disk", img}, {"run", "--disk", img, "-c", "true"}, {"shell", "--disk", img},
	} {
		require.NoError(t, os.WriteFile(img, nil, 0o644))
		_, _, err := mkos(t, args...)
		require.Error(t, err, "mkos %s", strings.Join(args, " "))
		assert.Contains(t, err.Error(), "empty.img is empty (0 bytes): it holds no file system; make one with: mkos mkfs "+img)
		fi, err := os.Stat(img)
		require.NoError(t, err)
		assert.Zero(t, fi.Size(), "mkos %s leaves the image empty", strings.Join(args, " "))
	}
}

// dirtyImage makes an image whose inode bitmap marks free inodes used.
func dirtyImage(t *testing.T) string {
	img := filepath.Join(t.TempDir(), "dirty.img")
	_, _, err := mkos(t, "mkfs", img, "--size", "8MiB")
	require.NoError(t, err)
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte{0xff}, 100*4096+20) // the inode bitmap, well past the inodes in use
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return img
}

// A file system that needs repair is refused once, at boot, with the
// exact command that repairs it; fsck counts in words.
func TestDirtyImageSaysHowToRepair(t *testing.T) {
	img := dirtyImage(t)
	for _, args := range [][]string{{"run", "--disk", img, "-c", "ls /"}, {"cp", img + ":/etc/passwd", filepath.Join(t.TempDir(), "pw")}} {
		out, errOut, err := mkos(t, args...)
		require.Error(t, err, "mkos %s", strings.Join(args, " "))
		assert.Contains(t, err.Error(), "needs repair: 8 problems: inode bitmap: inode 160 is free (mode 0) but marked in use")
		assert.Contains(t, err.Error(), "run: mkos fsck --repair "+img)
		assert.Empty(t, out+errOut, "nothing booted, nothing more said")
	}
	out, _, err := mkos(t, "fsck", "--repair", img)
	require.NoError(t, err, out)
	out, _, err = mkos(t, "run", "--disk", img, "-c", "ls /")
	require.NoError(t, err)
	assert.Contains(t, out, "etc")
}

// fsck's words: "1 problem", and a bad superblock named once.
func TestFsckWording(t *testing.T) {
	img := filepath.Join(t.TempDir(), "bad.img")
	_, _, err := mkos(t, "mkfs", img, "--size", "4MiB")
	require.NoError(t, err)
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte("XXXX"), 0)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	out, _, err := mkos(t, "fsck", img)
	require.Error(t, err)
	assert.Equal(t, "superblock: bad magic number (not an mkos file system)\n1 problem: 0 files, 0 directories, 0 symbolic links; 0/0 blocks, 0/0 inodes in use\n", out)
	assert.Contains(t, err.Error(), "1 problem; mkos fsck --repair "+img)
}

// A read-only image can be checked and copied out of, and is not changed.
func TestReadOnlyImage(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "ro.img")
	host := filepath.Join(dir, "n.txt")
	require.NoError(t, os.WriteFile(host, []byte("hello\n"), 0o644))
	_, _, err := mkos(t, "mkfs", img, "--size", "4MiB")
	require.NoError(t, err)
	_, _, err = mkos(t, "cp", host, img+":/n")
	require.NoError(t, err)
	before, err := os.ReadFile(img)
	require.NoError(t, err)
	old := writable
	writable = func(string) bool { return false }
	defer func() { writable = old }()
	require.NoError(t, os.Chmod(img, 0o444))

	_, _, err = mkos(t, "fsck", img)
	assert.NoError(t, err, "fsck reads a read-only image")
	out := filepath.Join(dir, "out.txt")
	_, _, err = mkos(t, "cp", img+":/n", out)
	require.NoError(t, err, "cp copies out of a read-only image")
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(got))
	_, _, err = mkos(t, "cp", host, img+":/m")
	require.ErrorContains(t, err, "ro.img is read-only")
	after, err := os.ReadFile(img)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the image is unchanged")
}

// A blank image (zeros, as truncate makes) is refused by cp and fsck
// alike, and formatted by run, with a note.
func TestBlankImage(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "blank.img")
	host := filepath.Join(dir, "n.txt")
	require.NoError(t, os.WriteFile(host, []byte("hi\n"), 0o644))
	require.NoError(t, os.WriteFile(img, make([]byte, 4<<20), 0o644))
	for _, args := range [][]string{{"fsck", img}, {"cp", host, img + ":/n"}} {
		_, _, err := mkos(t, args...)
		require.Error(t, err, "mkos %s", strings.Join(args, " "))
		assert.Contains(t, err.Error(), "blank.img is blank (block 0 is zeros): it holds no file system; make one with: mkos mkfs "+img)
	}
	out, errOut, err := mkos(t, "run", "--disk", img, "-c", "ls /")
	require.NoError(t, err)
	assert.Contains(t, errOut, "blank.img is blank: formatting a new file system")
	assert.Contains(t, out, "etc\n")
	_, _, err = mkos(t, "fsck", img)
	assert.NoError(t, err, "run formatted it")
}
