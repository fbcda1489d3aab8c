package fs

import "github.com/mkos/mkos/ipc"

// Clients that die. LECTURE: fs-exit
//
// A process's descriptors live in the server's tables, keyed by its
// endpoint (fdtable.go), and a process that is killed, or crashes, never
// sends the Release its library sends at exit. So the server watches
// exits (ipc.ExitWatcher): the kernel tells it of every task's death, and
// it releases the dead task's descriptors as Release would — the last
// descriptor of a file unlinked while open frees the inode and its blocks,
// in a transaction like any operation, so the free map on the disk stays
// consistent through any crash (a crash before the commit leaves an
// orphan, which the next mount frees). Without this, killed processes'
// descriptors pile up until every open fails with ENFILE, and their
// unlinked files keep their blocks until the disk is full.
//
// Descriptors belong to one task (a child opens its inherited files
// again, user/ulib/inherit.go), so a death releases exactly the dead
// task's. When the kernel had to drop notices (too many deaths at once),
// the server asks the kernel about every process that holds descriptors
// and releases the dead ones.

// Exited releases the descriptors of dead task, or of every dead client
// when task is ipc.Any (notices were lost). Placed in the kernel, it runs
// on the server's kernel thread and may find the server busy with a
// request that waits for the disk: the task is then released after that
// request and the ones queued behind it (drain).
func (s *Server) Exited(ctx *ipc.Ctx, task ipc.Endpoint) {
	s.dead = append(s.dead, task)
	if s.busy {
		return
	}
	s.busy = true
	s.drain(ctx.Sys)
	s.busy = false
}

// releaseDead closes the descriptors of dead task (every dead client's for
// ipc.Any). A file system that is not mounted holds no descriptors; an
// error stops the file system, and the next request mounts it again.
func (s *Server) releaseDead(sys ipc.Sys, task ipc.Endpoint) {
	s.bind(sys)
	if s.fs == nil || s.fs.Failed() != nil {
		return
	}
	dead := []ipc.Endpoint{task}
	if task == ipc.Any {
		dead = dead[:0]
		for _, p := range s.fs.Clients() {
			if !ipc.Alive(sys, p) {
				dead = append(dead, p)
			}
		}
	}
	for _, p := range dead {
		if s.fs.Release(p) != nil {
			return
		}
	}
	s.watchSizes(sys) // a dead client's followers find their descriptor gone
	if s.Opts.Durable {
		_ = s.fs.Sync() // a failure stops the file system: the next request remounts
	}
}
