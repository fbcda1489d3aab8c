package boot

import (
	"fmt"
	"sort"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
	"github.com/mkos/mkos/user/programs"
)

// The root file system a new disk gets: what mkfs (`mkos mkfs`, a blank
// image at boot, System.FormatDisk) writes after the empty file system,
// as an installer would. The users are root and one ordinary user, each
// with a group of their own; /tmp is writable by everyone and sticky.

// The users of a new root file system.
var (
	// RootUser is the super-user.
	RootUser = ipc.Root
	// OrdinaryUser is the ordinary user, "user".
	OrdinaryUser = ipc.Cred{UID: 1000, GID: 1000}
)

// Passwd and Group are the contents of /etc/passwd and /etc/group on a new
// root file system. Passwords ("x") are not checked: only root switches
// users (su, login).
const (
	Passwd = "root:x:0:0:root:/root:/bin/sh\n" +
		"user:x:1000:1000:an ordinary user:/home/user:/bin/sh\n" +
		"nobody:x:65534:65534:nobody:/:/bin/sh\n"
	Group = "root:x:0:\n" +
		"user:x:1000:\n" +
		"nogroup:x:65534:\n"
)

// rootEntry is one file or directory of a new root file system.
type rootEntry struct {
	path  string
	mode  uint32 // S_IFDIR or S_IFREG | permission bits
	owner ipc.Cred
	data  string
}

// rootTree is what a new root file system holds besides "/", in creation
// order.
var rootTree = []rootEntry{
	{"/etc", linux.S_IFDIR | 0o755, RootUser, ""},
	{"/etc/passwd", linux.S_IFREG | 0o644, RootUser, Passwd},
	{"/etc/group", linux.S_IFREG | 0o644, RootUser, Group},
	{"/tmp", linux.S_IFDIR | 0o1777, RootUser, ""},
	{"/root", linux.S_IFDIR | 0o700, RootUser, ""},
	{"/home", linux.S_IFDIR | 0o755, RootUser, ""},
	{"/home/user", linux.S_IFDIR | 0o755, OrdinaryUser, ""},
	{"/etc/motd", linux.S_IFREG | 0o644, RootUser, Motd},
	{"/dev", linux.S_IFDIR | 0o755, RootUser, ""},
	{"/bin", linux.S_IFDIR | 0o755, RootUser, ""},
	{"/sbin", linux.S_IFDIR | 0o755, RootUser, ""},
}

// Motd is /etc/motd on a new root file system: what a user reads first.
const Motd = "Welcome to mkos, a microkernel operating-system simulator.\n" +
	"Every program here talks to the file, process and memory servers by messages.\n" +
	"Type 'help' for the commands, 'ls /bin' for the programs, 'ps' for the processes.\n"

// programFiles are the files of the programs in pm's table (/bin/ls,
// /sbin/init, …), in path order: each is executable by everyone and holds
// one line saying what it is, so that `ls /bin` lists every program. The
// code is pm's (user/programs); the file is what a directory listing and
// the execute permission see.
func programFiles() []rootEntry {
	paths := make([]string, 0, 64)
	for path := range programs.Bin() {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	out := make([]rootEntry, len(paths))
	for i, path := range paths {
		out[i] = rootEntry{path, linux.S_IFREG | 0o755, RootUser,
			"mkos program " + path + ": its code is built into the system (user/programs)\n"}
	}
	return out
}

// Mkfs puts a new file system laid out as sb on dev, with the root tree
// (/etc/passwd, /etc/group, /etc/motd, /tmp, /root, /home/user, /dev, and
// a file in /bin or /sbin for each program): what `mkos mkfs`
// and a format at boot write.
func Mkfs(dev bdev.BlockDev, sb layout.Superblock) error {
	if err := layout.Format(dev, sb, 0); err != nil {
		return err
	}
	f, err := fs.Mount(dev, fs.Options{})
	if err != nil {
		return err
	}
	for _, e := range append(append([]rootEntry(nil), rootTree...), programFiles()...) {
		if err := makeEntry(f, e); err != nil {
			return fmt.Errorf("mkfs: %s: %w", e.path, err)
		}
	}
	return f.Sync()
}

// makeEntry creates e, as root, and gives it to its owner.
func makeEntry(f *fs.FS, e rootEntry) error {
	perm := e.mode & 0o7777
	if e.mode&linux.S_IFMT == linux.S_IFDIR {
		if err := f.Mkdir(e.path, perm); err != nil {
			return err
		}
	} else {
		fd, err := f.Open(ipc.KernelEndpoint, e.path, linux.O_CREAT|linux.O_WRONLY|linux.O_EXCL, perm)
		if err != nil {
			return err
		}
		if _, err := f.Write(ipc.KernelEndpoint, fd, []byte(e.data)); err != nil {
			return err
		}
		if err := f.Close(ipc.KernelEndpoint, fd); err != nil {
			return err
		}
	}
	return f.Chown(e.path, e.owner.UID, e.owner.GID)
}
