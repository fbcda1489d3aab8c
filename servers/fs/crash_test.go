package fs_test

// Crash consistency, CrashMonkey-style. A workload is a sequence of
// operations from a representative set on a fresh file system, followed by
// sync. A reference run records the file system's state after each
// operation and, at every commit point, how many block writes the disk had
// seen and a copy of the disk as it was then. Then, for every write point w, the workload runs again on a disk
// whose power goes out after w block writes, and the disk comes back three
// ways: with none of the writes it had not flushed (a power cut), with all
// of them (only the software died: a killed server), and with a
// pseudo-random subset (a disk that reorders its cache). Each time:
//
//   - the file system mounts (the mount runs the full fsck check and
//     replays the journal), and fsck finds it clean after the mount;
//   - its state is exactly the state at the last commit point before w,
//     as the copy of the reference disk taken there shows it: at a commit
//     made by fsync or sync, that is the state after every operation so
//     far (checked in the reference run); at a commit the full log forced
//     in the middle of a large write, some of the write is there, as POSIX
//     allows, but no operation of the file server is half done.
//
// `go test` runs every workload of one operation and a sample of two;
// -crashmonkey.full runs every workload of up to three operations.

import (
	"flag"
	"fmt"
	"hash/crc32"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
)

var crashFull = flag.Bool("crashmonkey.full", false, "crash every workload of up to 3 operations at every write point (minutes)")

// crashOp is one operation of a workload. Its errors (ENOENT when a file
// is missing) are part of the workload; EIO means the power went out.
type crashOp struct {
	name string
	run  func(f *fs.FS) error
}

var crashOps = []crashOp{
	{"creat /a", func(f *fs.FS) error { return put(f, "/a", linux.O_TRUNC, 5000, 1) }},
	{"append /a", func(f *fs.FS) error { return put(f, "/a", linux.O_APPEND, 3000, 2) }},
	{"write /b", func(f *fs.FS) error { return put(f, "/b", linux.O_TRUNC, 70000, 3) }},
	{"pwrite /b", func(f *fs.FS) error { return pwrite(f, "/b", 50000, 10) }},
	{"mkdir /d", func(f *fs.FS) error { return f.Mkdir("/d", 0o755) }},
	{"rename /a /d/a", func(f *fs.FS) error { return f.Rename("/a", "/d/a") }},
	{"rename /b /a", func(f *fs.FS) error { return f.Rename("/b", "/a") }},
	{"link /a /l", func(f *fs.FS) error { return f.Link("/a", "/l") }},
	{"unlink /a", func(f *fs.FS) error { return f.Unlink("/a") }},
	{"truncate /b", func(f *fs.FS) error { return f.Truncate("/b", 100) }},
	{"symlink /s", func(f *fs.FS) error { return f.Symlink("/a", "/s") }},
	{"rmdir /d", func(f *fs.FS) error { return f.Rmdir("/d") }},
	{"fsync /a", func(f *fs.FS) error { return fsyncFile(f, "/a") }},
}

// put writes n bytes of pattern seed to path, opened with O_CREAT|extra.
func put(f *fs.FS, path string, extra, n, seed int) error {
	fd, err := f.Open(proc, path, linux.O_WRONLY|linux.O_CREAT|extra, 0o644)
	if err != nil {
		return err
	}
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i*seed + seed)
	}
	_, err = f.Write(proc, fd, data)
	return firstErr(err, f.Close(proc, fd))
}

func pwrite(f *fs.FS, path string, off int64, n int) error {
	fd, err := f.Open(proc, path, linux.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.Pwrite(proc, fd, []byte(strings.Repeat("Z", n)), off)
	return firstErr(err, f.Close(proc, fd))
}

func fsyncFile(f *fs.FS, path string) error {
	fd, err := f.Open(proc, path, linux.O_RDONLY, 0)
	if err != nil {
		return err
	}
	return firstErr(f.Fsync(proc, fd), f.Close(proc, fd))
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// dump renders the whole tree: path, type, permission bits, links, size,
// and the CRC of a file's contents or a link's target.
func dump(f *fs.FS) (string, error) {
	var lines []string
	var walk func(dir string) error
	walk = func(dir string) error {
		var names []string
		_, _, err := f.ReadDir(dir, 0, func(e fsproto.DirEntry) bool {
			if e.Name != "." && e.Name != ".." {
				names = append(names, e.Name)
			}
			return true
		})
		if err != nil {
			return err
		}
		sort.Strings(names)
		for _, n := range names {
			p := strings.TrimSuffix(dir, "/") + "/" + n
			a, err := f.Lstat(p)
			if err != nil {
				return err
			}
			body, err := contents(f, p, &a)
			if err != nil {
				return err
			}
			lines = append(lines, fmt.Sprintf("%s %o %d %d %s", p, a.Mode, a.Nlink, a.Size, body))
			if a.IsDir() {
				if err := walk(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	err := walk("/")
	return strings.Join(lines, "\n"), err
}

// contents summarizes a file's contents or a link's target.
func contents(f *fs.FS, p string, a *fsproto.Attr) (string, error) {
	switch {
	case a.IsSymlink():
		return f.Readlink(p)
	case a.IsDir():
		return "", nil
	}
	fd, err := f.Open(proc, p, linux.O_RDONLY, 0)
	if err != nil {
		return "", err
	}
	defer f.Close(proc, fd)
	buf := make([]byte, min(a.Size, 1<<20)) // a corrupt size can claim gigabytes
	n, err := f.Read(proc, fd, buf)
	return fmt.Sprintf("%08x", crc32.ChecksumIEEE(buf[:n])), err
}

// reference is a workload's run without a crash.
type reference struct {
	states       []string    // after 0, 1, … operations
	commitOps    []int       // operations done at each commit point
	commitSync   []bool      // the commit was made by fsync or sync
	commitWrites []int64     // block writes (since the fresh disk) at each commit point
	commitDisks  []*bdev.Mem // the disk at each commit point
	writes       int64       // block writes of the whole run
}

// runWorkload mounts dev and runs ops then sync, stopping at the first
// EIO. With ref, it records the reference.
func runWorkload(dev *bdev.Mem, ops []crashOp, ref *reference) error {
	base := dev.Writes
	done, syncing := 0, true // the mount commits too
	opts := fs.Options{NoCheck: true}
	if ref != nil {
		opts.OnCommit = func() {
			ref.commitOps = append(ref.commitOps, done)
			ref.commitSync = append(ref.commitSync, syncing)
			ref.commitWrites = append(ref.commitWrites, dev.Writes-base)
			ref.commitDisks = append(ref.commitDisks, dev.Clone())
		}
	}
	f, err := fs.Mount(dev, opts)
	if err != nil {
		return err
	}
	if ref != nil {
		if err := ref.snapshot(f); err != nil {
			return err
		}
	}
	for _, op := range ops {
		syncing = strings.HasPrefix(op.name, "fsync")
		if err := op.run(f); f.Failed() != nil {
			return err
		}
		done++
		if ref != nil {
			if err := ref.snapshot(f); err != nil {
				return err
			}
		}
	}
	syncing = true
	return f.Sync()
}

func (r *reference) snapshot(f *fs.FS) error {
	s, err := dump(f)
	r.states = append(r.states, s)
	return err
}

// commitStates recovers the disk of each commit point and returns its
// state; a commit made by fsync or sync must hold every operation before
// it.
func (r *reference) commitStates(t *testing.T) []string {
	var out []string
	for i, d := range r.commitDisks {
		f, err := fs.Mount(d.Crash(nil), fs.Options{})
		require.NoError(t, err, "mount the disk of commit %d", i)
		s, err := dump(f)
		require.NoError(t, err)
		if r.commitSync[i] {
			require.Equal(t, r.states[r.commitOps[i]], s, "commit %d, by fsync or sync after %d operations", i, r.commitOps[i])
		}
		out = append(out, s)
	}
	return out
}

// expected returns the state a crash after w block writes must recover:
// the last commit point's.
func (r *reference) expected(states []string, w int64) string {
	want := r.states[0]
	for i, cw := range r.commitWrites {
		if cw <= w {
			want = states[i]
		}
	}
	return want
}

// crashPolicies are the ways a disk comes back after the power went out.
var crashPolicies = []struct {
	name string
	keep func(seed int64) func(int, bdev.Write) bool
}{
	{"power cut", func(int64) func(int, bdev.Write) bool { return nil }},
	{"server killed", func(int64) func(int, bdev.Write) bool { return bdev.KeepAll }},
	{"reordered", func(seed int64) func(int, bdev.Write) bool {
		return func(i int, _ bdev.Write) bool { return crc32.ChecksumIEEE([]byte(fmt.Sprint(seed, i)))&1 == 1 }
	}},
}

// crashWorkload runs one workload's reference and every crash of it, and
// returns the number of crash points checked.
func crashWorkload(t *testing.T, fresh *bdev.Mem, ops []crashOp) int {
	ref := &reference{}
	dev := fresh.Clone()
	require.NoError(t, runWorkload(dev, ops, ref), "reference run")
	ref.writes = dev.Writes - fresh.Writes
	states := ref.commitStates(t)
	checked := 0
	for w := int64(0); w < ref.writes; w++ {
		dev := fresh.Clone()
		dev.CutAt = fresh.Writes + w
		_ = runWorkload(dev, ops, nil)
		require.True(t, dev.Dead(), "the power went out after %d of %d writes", w, ref.writes)
		for _, p := range crashPolicies {
			recovered := dev.Crash(p.keep(w))
			f, err := fs.Mount(recovered, fs.Options{})
			require.NoError(t, err, "mount after %s at write %d", p.name, w)
			got, err := dump(f)
			require.NoError(t, err)
			require.Equal(t, ref.expected(states, w), got, "state after %s at write %d of %d", p.name, w, ref.writes)
			require.NoError(t, f.Sync())
			rep, err := fsck.Check(recovered)
			require.NoError(t, err)
			require.True(t, rep.Clean(), "fsck after %s at write %d: %s", p.name, w, rep)
			checked++
		}
	}
	return checked
}

// workloads returns every sequence of up to n operations; every
// workload of length n whose index is not a multiple of sample is left
// out (sample 1 keeps all).
func workloads(n, sample int) [][]crashOp {
	var out [][]crashOp
	var grow func(prefix []crashOp)
	grow = func(prefix []crashOp) {
		if len(prefix) > 0 {
			out = append(out, prefix)
		}
		if len(prefix) == n {
			return
		}
		for _, op := range crashOps {
			grow(append(append([]crashOp(nil), prefix...), op))
		}
	}
	grow(nil)
	var kept [][]crashOp
	for i, w := range out {
		if len(w) < n || i%sample == 0 {
			kept = append(kept, w)
		}
	}
	return kept
}

func TestCrashConsistency(t *testing.T) {
	n, sample := 2, 3
	if *crashFull {
		n, sample = 3, 1
	}
	fresh := newDev(t, 1<<20)
	total, runs := 0, 0
	for _, w := range workloads(n, sample) {
		names := make([]string, len(w))
		for i, op := range w {
			names[i] = op.name
		}
		t.Run(strings.Join(names, "; "), func(t *testing.T) {
			total += crashWorkload(t, fresh, w)
			runs++
		})
	}
	t.Logf("%d workloads, %d crash points checked", runs, total)
}
