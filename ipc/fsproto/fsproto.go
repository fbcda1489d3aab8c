package fsproto

import (
	"strconv"

	"github.com/mkos/mkos/ipc"
)

// Name is the service name the file server registers.
const Name = "fs"

// Request types. The comment of each gives its payload words (W0…W5) and
// windows; "path" means W5 = path length and the path in the send window.
const (
	// Open: W0 flags (O_* of ipc/linux), W1 mode, path.
	// Reply W0 = FD.
	Open ipc.Type = iota + 1
	// Read: W0 FD, W1 count; data into the receive window. Reply W0 =
	// bytes read (0 at end of file).
	Read
	// Write: W0 FD, W1 count; data from the send window. Reply W0 =
	// bytes written.
	Write
	// Pread: Read at offset W2, leaving the descriptor's offset alone.
	Pread
	// Pwrite: Write at offset W2, leaving the descriptor's offset alone.
	Pwrite
	// Seek: W0 FD, W1 offset (int64), W2 whence (SEEK_SET, SEEK_CUR,
	// SEEK_END). Reply W0 = the new offset.
	Seek
	// Close: W0 FD.
	Close
	// Stat: path (symbolic links followed); an Attr record into the
	// receive window.
	Stat
	// Lstat: Stat, but a final symbolic link is described itself.
	Lstat
	// Fstat: W0 FD; an Attr record into the receive window.
	Fstat
	// Mkdir: W0 mode, path.
	Mkdir
	// Rmdir: path.
	Rmdir
	// Unlink: path.
	Unlink
	// Rename: W0 = len(old), W1 = len(new); old then new in the send
	// window. Atomic, across directories.
	Rename
	// ReadDir: W0 cookie (0 = from the start), W1 the receive window's
	// size, path; DirEntry records into the receive window. Reply W0 = next cookie, W1 = entries, W2 =
	// bytes used, W3 = 1 at the end of the directory.
	ReadDir
	// Truncate: W0 size, path.
	Truncate
	// Ftruncate: W0 FD, W1 size.
	Ftruncate
	// Fsync: W0 FD. The reply comes when every change made so far is on
	// the disk (the file server commits its journal).
	Fsync
	// Sync: like Fsync, for the whole file system.
	Sync
	// Link: W0 = len(old), W1 = len(new); a new name for old.
	Link
	// Symlink: W0 = len(target), W1 = len(path); path becomes a symbolic
	// link to target.
	Symlink
	// Readlink: path; the target into the receive window. Reply W0 = its
	// length.
	Readlink
	// Chmod: W0 mode, path.
	Chmod
	// Statfs: reply W0 block size, W1 blocks, W2 free blocks, W3 inodes,
	// W4 free inodes, W5 the longest name.
	Statfs
	// Release closes every descriptor of the caller: what a process does
	// as it exits.
	Release
	// Chown: W0 uid, W1 gid (KeepID leaves either as it is), path
	// (symbolic links followed). Only root changes a file's owner; its
	// owner may change its group to the owner's own.
	Chown
	// Access: W0 the permissions asked (AccessR, AccessW, AccessX; 0 only
	// asks whether the file exists), path. With W1 = 1 the question is
	// asked for uid W2 and gid W3 instead of the caller — which only root
	// may do (pm asks it for a program it spawns): EPERM for anyone else
	// who names other credentials than their own.
	Access
	// ReadDirStream: W0 a stream id the caller opened (ipc.OpenStream),
	// path. The server accepts the stream, replies, and emits the
	// directory's DirEntry records back to back, cut into frames of at
	// most ipc.PayloadSize bytes (Message.Bytes), as the credit allows;
	// then an end frame. stream.go has the client.
	ReadDirStream
	// Follow: W0 a stream id, W1 FD, W2 the size the caller has seen. The
	// server accepts the stream, replies, and emits a frame (W0 = the
	// file's size) whenever the file's size differs from the last it
	// told: at once if it differs from W2, then after each write or
	// truncation, as the credit allows. The stream lasts until a side
	// cancels it (tail -f).
	Follow

	// LastRequest is the highest request type.
	LastRequest = Follow
)

// Access permissions, as access(2)'s R_OK, W_OK and X_OK.
const (
	AccessX = 1
	AccessW = 2
	AccessR = 4
)

// KeepID in a Chown word leaves that id as it is (chown(2)'s -1).
const KeepID = 1<<32 - 1

// Names maps each request type to its name, for traces and tests.
var Names = map[ipc.Type]string{
	Open: "open", Read: "read", Write: "write", Pread: "pread", Pwrite: "pwrite",
	Seek: "lseek", Close: "close", Stat: "stat", Lstat: "lstat", Fstat: "fstat",
	Mkdir: "mkdir", Rmdir: "rmdir", Unlink: "unlink", Rename: "rename",
	ReadDir: "readdir", Truncate: "truncate", Ftruncate: "ftruncate",
	Fsync: "fsync", Sync: "sync", Link: "link", Symlink: "symlink",
	Readlink: "readlink", Chmod: "chmod", Statfs: "statfs", Release: "release",
	Chown: "chown", Access: "access", ReadDirStream: "readdir-stream", Follow: "follow",
}

// PathWord is the payload word that holds the length of a request's path.
const PathWord = 5

// PathMax is the longest path, in bytes, as Linux's PATH_MAX less its NUL.
const PathMax = 4095

// FD is an open file descriptor: the epoch of the server instance that
// opened it in the high 32 bits, the descriptor's number in the low 32.
type FD uint64

// MakeFD returns the descriptor number n of server epoch epoch.
func MakeFD(epoch uint32, n int) FD { return FD(uint64(epoch)<<32 | uint64(uint32(n))) }

// Num returns the descriptor's number, the one a user sees.
func (f FD) Num() int { return int(uint32(f)) }

// Epoch returns the server epoch the descriptor belongs to.
func (f FD) Epoch() uint32 { return uint32(f >> 32) }

// String renders the descriptor's number.
func (f FD) String() string { return strconv.Itoa(f.Num()) }

// Fsinfo is what Statfs returns.
type Fsinfo struct {
	BlockSize   int
	Blocks      int64
	FreeBlocks  int64
	Inodes      int64
	FreeInodes  int64
	NameMaxSize int
}

// believable reports whether a Statfs reply could describe a file system:
// no count negative, no more free than there are.
func (fi *Fsinfo) believable() bool {
	return fi.BlockSize > 0 && fi.Blocks >= 0 && fi.Inodes >= 0 && fi.NameMaxSize >= 0 &&
		fi.FreeBlocks >= 0 && fi.FreeBlocks <= fi.Blocks && fi.FreeInodes >= 0 && fi.FreeInodes <= fi.Inodes
}
