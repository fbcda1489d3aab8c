package coreutils

// df [-i] [-h] prints the file system's size and free space in 1 KiB
// blocks (-i: in inodes; -h: in units, K, M, G).
func df(u *U, args []string) int {
	opts, rest, err := options(args, "ih")
	if err != nil || len(rest) > 0 {
		return u.usage("[-i] [-h]")
	}
	i, err := u.Statfs()
	if err != nil {
		u.fail("%s", strerror(err))
		return 1
	}
	if has(opts, 'i') {
		used := i.Inodes - i.FreeInodes
		u.printf("Filesystem     Inodes  IUsed  IFree IUse%% Mounted on\n")
		u.printf("%-10s %10d %6d %6d %4d%% /\n", "fs", i.Inodes, used, i.FreeInodes, percent(used, i.Inodes))
		return 0
	}
	k := int64(i.BlockSize) / 1024
	total, free := i.Blocks*k, i.FreeBlocks*k
	if has(opts, 'h') {
		size := func(k int64) string { return duSize(opts, 2*k) }
		u.printf("Filesystem      Size  Used Avail Use%% Mounted on\n")
		u.printf("%-10s %9s %5s %5s %3d%% /\n", "fs", size(total), size(total-free), size(free), percent(total-free, total))
		return 0
	}
	u.printf("Filesystem     1K-blocks   Used Available Use%% Mounted on\n")
	u.printf("%-10s %14d %6d %9d %3d%% /\n", "fs", total, total-free, free, percent(total-free, total))
	return 0
}

// percent is used/total in whole percent, rounded up as df does.
func percent(used, total int64) int64 {
	if total == 0 {
		return 0
	}
	return (used*100 + total - 1) / total
}
