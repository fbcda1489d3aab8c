package coreutils

import (
	"strings"

	"github.com/mkos/mkos/ipc/fsproto"
)

// stat [-L] [-c FORMAT] FILE... describes files (-L: what a symbolic link
// points to): size, blocks, type, inode, links and permissions. There are
// no times: they are virtual time since boot, and differ from mode to
// mode. -c prints FORMAT for each file instead: %n name, %s size, %b
// blocks, %F type, %i inode, %h links, %a permissions in octal, %A as ls
// shows them, %u %g owner and group ids, %U %G their names, %% a percent.
func stat(u *U, args []string) int {
	opts, files, err := options(args, "Lc:")
	if err != nil || len(files) == 0 {
		return u.usage("[-L] [-c FORMAT] FILE...")
	}
	for _, f := range files {
		st := u.Lstat
		if has(opts, 'L') {
			st = u.Stat
		}
		a, err := st(f)
		if err != nil {
			u.fail("cannot stat '%s': %s", f, strerror(err))
			continue
		}
		if format, ok := opts['c']; ok {
			u.printf("%s\n", statFormat(u, format, f, &a))
			continue
		}
		name := f
		if a.IsSymlink() {
			if t, err := u.Readlink(f); err == nil {
				name += " -> " + t
			}
		}
		u.printf("  File: %s\n", name)
		u.printf("  Size: %-10d  Blocks: %-10d IO Block: %-6d %s\n", a.Size, a.Blocks, a.BlkSize, typeName(&a))
		u.printf(" Inode: %-10d  Links: %d\n", a.Ino, a.Nlink)
		u.printf("Access: (%04o/%s)  Uid: (%d/%s)  Gid: (%d/%s)\n", a.Mode&0o7777, ModeString(a.Mode),
			a.UID, u.Names().User(a.UID), a.GID, u.Names().Group(a.GID))
	}
	return 0
}

// statFormat expands stat -c's FORMAT for the file name described by a.
func statFormat(u *U, format, name string, a *fsproto.Attr) string {
	var sb strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			sb.WriteByte(format[i])
			continue
		}
		i++
		switch format[i] {
		case 'n':
			sb.WriteString(name)
		case 's':
			sb.WriteString(sprintf("%d", a.Size))
		case 'b':
			sb.WriteString(sprintf("%d", a.Blocks))
		case 'F':
			sb.WriteString(typeName(a))
		case 'i':
			sb.WriteString(sprintf("%d", a.Ino))
		case 'h':
			sb.WriteString(sprintf("%d", a.Nlink))
		case 'a':
			sb.WriteString(sprintf("%o", a.Mode&0o7777))
		case 'A':
			sb.WriteString(ModeString(a.Mode))
		case 'u':
			sb.WriteString(sprintf("%d", a.UID))
		case 'g':
			sb.WriteString(sprintf("%d", a.GID))
		case 'U':
			sb.WriteString(u.Names().User(a.UID))
		case 'G':
			sb.WriteString(u.Names().Group(a.GID))
		case '%':
			sb.WriteByte('%')
		default:
			sb.WriteByte('%')
			sb.WriteByte(format[i])
		}
	}
	return sb.String()
}
