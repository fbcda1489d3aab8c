package faults

import (
	"bytes"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/pmproto"
)

// The campaign workloads. Each job uses fresh names, so a job that failed
// half-way leaves nothing a later job trips on.

const (
	srcDirs   = 4
	srcFiles  = 6 // per directory
	heapPages = 4
	keepEvery = 4 // every 4th job keeps an fsync'ed file
	keepBytes = 8 << 10
)

var mixedWorkload = &Workload{
	Name:  "mixed",
	Doc:   "a compile job: tree walk, 3 source reads checked, compute, heap pages, an object written and removed, spawn+wait, a ds record; every 4th job an fsync'ed file",
	Needs: []string{fsproto.Name, pmproto.Name, mmproto.Name, dsproto.Name},
	Setup: mixedSetup,
	Job:   mixedJob,
}

var fileioWorkload = &Workload{
	Name:  "fileio",
	Doc:   "create, write 4 KiB, read back, close, unlink; every 4th file fsync'ed and kept",
	Needs: []string{fsproto.Name},
	Setup: func(w *worker) error {
		if err := w.fs.Mkdir("/t", 0o755); err != nil {
			return step("fs", "mkdir", err)
		}
		return step("fs", "sync", w.fs.Sync())
	},
	Job: fileioJob,
}

var spawnWorkload = &Workload{
	Name:  "spawn",
	Doc:   "spawn /bin/true through pm and wait for it",
	Needs: []string{pmproto.Name},
	Job:   func(w *worker, _ int) error { return w.spawnTrue() },
}

// srcSize is the size of source file f of directory d: 1 to 16 KiB.
func srcSize(d, f int) int { return 1024 * (1 + (d*srcFiles+f)*7%16) }

func srcPath(d, f int) string { return fmt.Sprintf("/src/d%d/f%d.c", d, f) }

// mixedSetup makes the source tree and the output directories.
func mixedSetup(w *worker) error {
	for _, d := range []string{"/src", "/obj", "/keep"} {
		if err := w.fs.Mkdir(d, 0o755); err != nil {
			return step("fs", "mkdir "+d, err)
		}
	}
	for d := range srcDirs {
		if err := w.fs.Mkdir(fmt.Sprintf("/src/d%d", d), 0o755); err != nil {
			return step("fs", "mkdir", err)
		}
		for f := range srcFiles {
			if err := w.writeFile(srcPath(d, f), w.pattern(d*srcFiles+f, srcSize(d, f)), false); err != nil {
				return err
			}
		}
	}
	return step("fs", "sync", w.fs.Sync()) // the sources are on the disk before the build starts
}

// mixedJob is one compile job.
func mixedJob(w *worker, j int) error {
	if err := w.walk(j % srcDirs); err != nil {
		return err
	}
	read := 0
	for k := range 3 {
		d, f := (j+k)%srcDirs, (j*5+k)%srcFiles
		if err := w.checkFile(srcPath(d, f), w.pattern(d*srcFiles+f, srcSize(d, f))); err != nil {
			return err
		}
		read += srcSize(d, f)
	}
	w.sys.Compute(20_000)
	if err := w.heap(j); err != nil {
		return err
	}
	obj := fmt.Sprintf("/obj/o%d.o", j)
	if err := w.writeFile(obj, w.pattern(j, read/4), false); err != nil {
		return err
	}
	if err := w.spawnTrue(); err != nil {
		return err
	}
	if err := w.record(j); err != nil {
		return err
	}
	if j%keepEvery == keepEvery-1 {
		if err := w.writeFile(fmt.Sprintf("/keep/k%d", j), w.pattern(j, keepBytes), true); err != nil {
			return err
		}
	}
	return step("fs", "unlink "+obj, w.fs.Unlink(obj))
}

// walk lists /src and one of its directories.
func (w *worker) walk(d int) error {
	if _, err := w.fs.ReadDir("/src"); err != nil {
		return step("fs", "readdir /src", err)
	}
	dir := fmt.Sprintf("/src/d%d", d)
	ents, err := w.fs.ReadDir(dir)
	if err != nil {
		return step("fs", "readdir "+dir, err)
	}
	if len(ents) != srcFiles+2 {
		return wrong("fs", "readdir "+dir, "%d entries, want %d", len(ents), srcFiles+2)
	}
	return nil
}

// heap maps a few pages, stores a word in each, loads it back, unmaps.
func (w *worker) heap(j int) error {
	base, err := w.mm.Mmap(0, heapPages*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
	if err != nil {
		return step("mm", "mmap", err)
	}
	word, got := w.pattern(j, 8), make([]byte, 8)
	for p := range heapPages {
		va := base + uint64(p)*ipc.PageSize
		if err := w.sys.Store(va, word); err != nil {
			return step("mm", "store", err)
		}
		if err := w.sys.Load(va, got); err != nil {
			return step("mm", "load", err)
		}
		if !bytes.Equal(got, word) {
			return wrong("mm", "load", "page %d holds %x, stored %x", p, got, word)
		}
	}
	return step("mm", "munmap", w.mm.Munmap(base, heapPages*ipc.PageSize))
}

// record puts a build record in ds, reads it back and deletes it.
func (w *worker) record(j int) error {
	key, val := fmt.Sprintf("build/o%d", j), w.pattern(j, 16)
	if err := w.ds.Put(key, val); err != nil {
		return step("ds", "put", err)
	}
	got, err := w.ds.Get(key)
	if err != nil {
		return step("ds", "get", err)
	}
	if !bytes.Equal(got, val) {
		return wrong("ds", "get", "%d bytes that differ from the %d put", len(got), len(val))
	}
	return step("ds", "delete", w.ds.Delete(key))
}

// fileioJob is the small-file cycle; every 4th file is kept, fsync'ed.
func fileioJob(w *worker, j int) error {
	path := fmt.Sprintf("/t/f%d", j)
	keep := j%keepEvery == keepEvery-1
	data := w.pattern(j, 4096)
	if err := w.writeFile(path, data, keep); err != nil {
		return err
	}
	if err := w.checkFile(path, data); err != nil {
		return err
	}
	if keep {
		return nil
	}
	return step("fs", "unlink "+path, w.fs.Unlink(path))
}
