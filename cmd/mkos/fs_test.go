package main

// Tests of the file tools: mkfs, fsck, cp, and run -c, as a user types
// them.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
	"github.com/mkos/mkos/user/programs"
)

// newImage makes a fresh file system image in a temporary directory.
func newImage(t *testing.T, size string) string {
	t.Helper()
	img := filepath.Join(t.TempDir(), "disk.img")
	out, _, err := mkos(t, "mkfs", img, "--size", size)
	require.NoError(t, err)
	assert.Contains(t, out, "disk.img: ")
	return img
}

// rootFiles is how many files mkfs writes: /etc/passwd, /etc/group,
// /etc/motd and one per program (a function: /bin/mkos is registered by
// an init function, after the package's variables are set).
func rootFiles() int { return 3 + len(programs.Bin()) }

func TestMkfsThenFsckIsClean(t *testing.T) {
	img := newImage(t, "8MiB")
	st, err := os.Stat(img)
	require.NoError(t, err)
	assert.Equal(t, int64(8<<20), st.Size())
	out, _, err := mkos(t, "fsck", img)
	require.NoError(t, err)
	// The root tree: /etc/passwd, /etc/group, /etc/motd and a file per
	// program; /, /etc, /tmp, /root, /home, /home/user, /dev, /bin, /sbin.
	want := fmt.Sprintf("clean: %d files, 9 directories", rootFiles())
	assert.True(t, strings.HasPrefix(out, want), "fsck = %q, want prefix %q", out, want)
	_, _, err = mkos(t, "mkfs", img, "--size", "12KiB")
	assert.ErrorContains(t, err, "an mkos file system has")
}

func TestCpRoundTripInEveryMode(t *testing.T) {
	img := newImage(t, "16MiB")
	dir := t.TempDir()
	src := filepath.Join(dir, "src.bin")
	data := make([]byte, 200_000)
	for i := range data {
		data[i] = byte(i*31 + i/4096)
	}
	require.NoError(t, os.WriteFile(src, data, 0o644))
	for _, mode := range []string{"micro", "mono", "hybrid"} {
		_, _, err := mkos(t, "cp", "--mode", mode, src, img+":/"+mode+".bin")
		require.NoError(t, err, mode)
		back := filepath.Join(dir, mode+".out")
		_, _, err = mkos(t, "cp", "--mode", mode, img+":/"+mode+".bin", back)
		require.NoError(t, err, mode)
		got, err := os.ReadFile(back)
		require.NoError(t, err)
		assert.Equal(t, data, got, mode)
	}
	out, _, err := mkos(t, "fsck", img)
	require.NoError(t, err, out)
	assert.Contains(t, out, fmt.Sprintf("clean: %d files", rootFiles()+3)) // the root tree's and the three copies
}

func TestCpErrors(t *testing.T) {
	img := newImage(t, "4MiB")
	_, _, err := mkos(t, "cp", "a", "b")
	assert.ErrorContains(t, err, "exactly one of SRC and DST")
	_, _, err = mkos(t, "cp", img+":/nope", filepath.Join(t.TempDir(), "x"))
	assert.ErrorContains(t, err, "no such file or directory")
	_, _, err = mkos(t, "cp", filepath.Join(t.TempDir(), "missing"), img+":/x")
	assert.Error(t, err)
	_, _, err = mkos(t, "cp", img+"x:/a", "b")
	assert.ErrorContains(t, err, "mkos mkfs")
}

// A corrupt image: fsck lists the problems and fails, cp reports that the
// file server refused to mount it, and fsck --repair makes it clean.
func TestFsckFindsAndRepairsCorruption(t *testing.T) {
	img := newImage(t, "4MiB")
	_, _, err := mkos(t, "run", "--disk", img, "-c", "mkdir /d; echo hello > /d/a; echo bye > /b")
	require.NoError(t, err)
	dev, err := bdev.OpenFile(img, layout.BlockSize)
	require.NoError(t, err)
	sb, err := layout.ReadSuperblock(dev)
	require.NoError(t, err)
	// Zero the inode bitmap: every inode looks free.
	require.NoError(t, dev.WriteBlocks(int64(sb.InodeBitmapStart), make([]byte, layout.BlockSize)))
	require.NoError(t, dev.Close())

	out, _, err := mkos(t, "fsck", img)
	assert.ErrorContains(t, err, "problems")
	assert.Contains(t, out, "inode bitmap: inode 2 is in use")
	_, _, err = mkos(t, "cp", img+":/b", filepath.Join(t.TempDir(), "b"))
	// A problem per inode in use (the root tree's, /d, /d/a, /b) and the
	// reserved inode 0.
	problems := 1 + 9 + rootFiles() + 3
	assert.ErrorContains(t, err, fmt.Sprintf("needs repair: %d problems", problems), "cp refuses it before it boots")
	assert.ErrorContains(t, err, "run: mkos fsck --repair "+img)

	out, _, err = mkos(t, "fsck", "--repair", img)
	require.NoError(t, err, out)
	assert.Contains(t, out, "fixed: inode bitmap bit 2")
	out, _, err = mkos(t, "run", "--disk", img, "-c", "cat /d/a")
	require.NoError(t, err)
	assert.Equal(t, "hello\n", out)
}

// run -c runs the commands with /bin/sh on the booted system and exits
// with the shell's status.
func TestRunCommands(t *testing.T) {
	out, errOut, err := mkos(t, "run", "-c", "mkdir /d; echo hello world > /d/a; cat /d/a; ls /d; wc -c /d/a; rm /d/a; ls /d")
	require.NoError(t, err, errOut)
	assert.Equal(t, "hello world\na\n12 /d/a\n", out)

	out, errOut, err = mkos(t, "run", "--mode", "mono", "-c", "cat /nope; echo still running; echo a | wc -c; exit 3")
	var st exitStatus
	require.ErrorAs(t, err, &st)
	assert.Equal(t, exitStatus(3), st, "the shell's status")
	assert.Equal(t, "still running\n2\n", out)
	assert.Equal(t, "cat: /nope: no such file or directory\n", errOut)

	_, errOut, err = mkos(t, "run", "--mode", "hybrid", "-c", "nosuch | true; nosuch")
	require.ErrorAs(t, err, &st)
	assert.Equal(t, exitStatus(127), st)
	assert.Equal(t, "sh: nosuch: command not found\nsh: nosuch: command not found\n", errOut)
}

// The shell reads the host's standard input.
func TestRunCommandsReadTheHostsInput(t *testing.T) {
	root := newRoot()
	var out bytes.Buffer
	root.SetArgs([]string{"run", "-c", "wc -l; cat > /f; cat /f"})
	root.SetIn(strings.NewReader("one\ntwo\n"))
	root.SetOut(&out)
	require.NoError(t, root.Execute())
	assert.Equal(t, "2\n", out.String(), "wc read all of it; cat found the end")
}

// Files written by one run are there in the next: the image keeps them.
func TestRunCommandsPersistInTheImage(t *testing.T) {
	img := filepath.Join(t.TempDir(), "new.img")
	_, errOut, err := mkos(t, "run", "--disk", img, "-c", "echo across runs > /kept")
	require.NoError(t, err)
	assert.Contains(t, errOut, "blank: formatting a new file system")
	out, _, err := mkos(t, "run", "--disk", img, "--mode", "hybrid", "-c", "cat /kept")
	require.NoError(t, err)
	assert.Equal(t, "across runs\n", out)
}

// init runs /etc/rc, when the disk has one, before the shell.
func TestInitRunsEtcRc(t *testing.T) {
	img := filepath.Join(t.TempDir(), "rc.img")
	_, _, err := mkos(t, "run", "--disk", img, "-c", `mkdir /etc; echo 'echo rc ran; export FROM_RC=no' > /etc/rc`)
	require.NoError(t, err)
	out, errOut, err := mkos(t, "run", "--disk", img, "-c", "echo shell ran $FROM_RC")
	require.NoError(t, err, errOut)
	assert.Equal(t, "rc ran\nshell ran\n", out, "rc runs first, in a shell of its own")
}
