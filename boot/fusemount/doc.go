// Package fusemount mounts an mkos disk image on the host with FUSE
// (github.com/hanwen/go-fuse/v2), as `mkos mount IMAGE DIR` does: the
// host's ls, cat, cp, find and diff read and write the image through the
// real file server.
//
// The mount boots a small system — the disk driver over the image and
// the file server, the same code as in any run — and one task in it, the
// bridge (bridge.go). A FUSE request arrives on a go-fuse goroutine of
// the host; its node method (node_linux.go) hands the bridge a function
// of an fsproto client and waits; the bridge, waiting on the host between
// requests, runs the function in the simulated system, where each fsproto
// call is a message to the file server, and hands the result back. So the
// requests are served one at a time, in the order the bridge takes them.
//
// The file server boot runs commits its journal before it answers
// (fs.NewDurable): a write the host was told succeeded is on the image,
// and survives a kill of the mount process; fsck finds the image clean
// after unmount.
//
// A process that mounts must not itself start a child whose working
// directory is inside the mount (exec.Cmd.Dir): the chdir between fork and
// exec waits for this process's FUSE server while the forking thread holds
// up the Go runtime's stop-the-world — a deadlock. Let the child change
// directory itself (the tests run "cd DIR && …").
//
// FUSE is Linux's here (mount_linux.go, direct mount as root, no
// fusermount); elsewhere Start returns ErrUnsupported (mount_other.go).
//
// Imports: boot, ipc, ipc/fsproto, ipc/linux, and go-fuse.
package fusemount
