package bench

import (
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/pmproto"
)

// mixed is a compile-like macro workload, standing for real use as the
// AIM benchmark's mixes do: one operation is one "compile job" that
//
//  1. walks the source tree (readdir of /src and of one subdirectory),
//  2. stats, opens, reads and closes three source files (1–16 KiB),
//  3. computes for ComputeNs of virtual CPU (the compiler's own work),
//  4. maps a fresh 16-page heap, touches every page (16 page faults to
//     mm) and unmaps it, as a new compiler process would,
//  5. writes an object file (a quarter of the sources' size),
//  6. spawns /bin/true through pm and waits for it (the assembler),
//  7. every 8th job, links: lists /obj, stats each object, writes
//     /out/a.out (16 KiB) and fsyncs it.
//
// ComputeNs is the one free parameter: the more a job computes, the less
// any placement's system-call costs show. DefaultComputeNs is chosen so
// that, under the l4 profile in mono mode, about half a job's virtual time
// is the job's own CPU time (see docs/modes.md).
const (
	mixedDirs       = 4
	mixedFiles      = 8 // per directory
	mixedHeapPages  = 16
	mixedObjects    = 32
	mixedLinkEvery  = 8
	mixedOutBytes   = 16 << 10
	mixedSourcesJob = 3
)

// DefaultComputeNs is a mixed job's own CPU time, in virtual ns.
const DefaultComputeNs = 50_000

// mixedState is the tree's file sizes and the job's buffers.
type mixedState struct {
	sizes [mixedDirs][mixedFiles]int
	buf   []byte
	data  []byte
}

var mixedWorkload = &Workload{
	Name:       "mixed",
	Doc:        "a compile job: tree walk, 3 source reads, compute, heap faults, object write, spawn+wait; a link every 8 jobs",
	Needs:      []string{fsproto.Name, pmproto.Name, mmproto.Name},
	Setup:      mixedSetup,
	Op:         mixedJob,
	VirtualOps: 64,
}

// mixedSetup makes the source tree: 4 directories of 8 files of 1–16 KiB.
func mixedSetup(e *Env) error {
	st := &mixedState{buf: make([]byte, ipc.MaxBulk), data: make([]byte, ipc.MaxBulk)}
	for i := range st.data {
		st.data[i] = byte(i*31 + 7)
	}
	e.State = st
	for _, d := range []string{"/src", "/obj", "/out"} {
		if err := e.FS.Mkdir(d, 0o755); err != nil {
			return err
		}
	}
	for d := range mixedDirs {
		if err := e.FS.Mkdir(fmt.Sprintf("/src/d%d", d), 0o755); err != nil {
			return err
		}
		for f := range mixedFiles {
			st.sizes[d][f] = 1024 * (1 + (d*mixedFiles+f)*7%16)
			if err := writeFile(e.FS, srcPath(d, f), st.data[:st.sizes[d][f]], false); err != nil {
				return err
			}
		}
	}
	return nil
}

func srcPath(d, f int) string { return fmt.Sprintf("/src/d%d/f%d.c", d, f) }

// mixedJob is one compile job (see mixed).
func mixedJob(e *Env, i int) error {
	st := e.State.(*mixedState)
	if err := walk(e.FS, fmt.Sprintf("/src/d%d", i%mixedDirs), mixedFiles+2); err != nil {
		return err
	}
	read := 0
	for k := range mixedSourcesJob {
		d, f := (i+k)%mixedDirs, (i*3+k*5)%mixedFiles
		n, err := readFile(e.FS, srcPath(d, f), st.buf, st.sizes[d][f])
		if err != nil {
			return err
		}
		read += n
	}
	e.Sys.Compute(e.Setup.computeNs())
	if err := touchHeap(e); err != nil {
		return err
	}
	if err := writeFile(e.FS, fmt.Sprintf("/obj/o%d.o", i%mixedObjects), st.data[:read/4], false); err != nil {
		return err
	}
	if err := spawnTrue(e, i); err != nil {
		return err
	}
	if i%mixedLinkEvery == mixedLinkEvery-1 {
		return link(e, st)
	}
	return nil
}

// walk lists /src and dir, expecting want entries in dir.
func walk(c fsproto.Client, dir string, want int) error {
	if _, err := c.ReadDir("/src"); err != nil {
		return err
	}
	ents, err := c.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(ents) != want {
		return fmt.Errorf("readdir %s: %d entries, want %d", dir, len(ents), want)
	}
	return nil
}

// readFile stats, opens, reads and closes path, checking its size.
func readFile(c fsproto.Client, path string, buf []byte, size int) (int, error) {
	a, err := c.Stat(path)
	if err != nil {
		return 0, err
	}
	if a.Size != int64(size) {
		return 0, fmt.Errorf("stat %s: size %d, want %d", path, a.Size, size)
	}
	fd, err := c.Open(path, linux.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		n, err := c.Read(fd, buf)
		if err != nil {
			return total, err
		}
		if n == 0 {
			break
		}
		total += n
	}
	if total != size {
		return total, fmt.Errorf("read %s: %d bytes, want %d", path, total, size)
	}
	return total, c.Close(fd)
}

// writeFile creates path with data, fsyncing it when sync is set.
func writeFile(c fsproto.Client, path string, data []byte, sync bool) error {
	fd, err := c.Create(path, 0o644)
	if err != nil {
		return err
	}
	if _, err := c.Write(fd, data); err != nil {
		return err
	}
	if sync {
		if err := c.Fsync(fd); err != nil {
			return err
		}
	}
	return c.Close(fd)
}

// touchHeap maps a fresh heap, stores to each page and unmaps it.
func touchHeap(e *Env) error {
	base, err := e.MM.Mmap(0, mixedHeapPages*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
	if err != nil {
		return fmt.Errorf("mmap: %w", err)
	}
	for p := range mixedHeapPages {
		if err := e.Sys.Store(base+uint64(p)*ipc.PageSize, pageWord); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return e.MM.Munmap(base, mixedHeapPages*ipc.PageSize)
}

// link lists the objects, stats each, and writes and syncs the program.
func link(e *Env, st *mixedState) error {
	ents, err := e.FS.ReadDir("/obj")
	if err != nil {
		return err
	}
	for _, d := range ents {
		if d.Name == "." || d.Name == ".." {
			continue
		}
		if _, err := e.FS.Stat("/obj/" + d.Name); err != nil {
			return err
		}
	}
	return writeFile(e.FS, "/out/a.out", st.data[:mixedOutBytes], true)
}
