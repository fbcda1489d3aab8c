package coreutils

// stat [-L] FILE... describes files (-L: what a symbolic link points to):
// size, blocks, type, inode, links and permissions. There are no times:
// they are virtual time since boot, and differ from mode to mode.
func stat(u *U, args []string) int {
	opts, files, err := options(args, "L")
	if err != nil || len(files) == 0 {
		return u.usage("[-L] FILE...")
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
		name := f
		if a.IsSymlink() {
			if t, err := u.Readlink(f); err == nil {
				name += " -> " + t
			}
		}
		u.printf("  File: %s\n", name)
		u.printf("  Size: %-10d  Blocks: %-10d IO Block: %-6d %s\n", a.Size, a.Blocks, a.BlkSize, typeName(&a))
		u.printf(" Inode: %-10d  Links: %d\n", a.Ino, a.Nlink)
		u.printf("Access: (%04o/%s)\n", a.Mode&0o7777, ModeString(a.Mode))
	}
	return 0
}
