package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/fs/layout"
)

func newFsckCmd() *cobra.Command {
	var repair bool
	cmd := &cobra.Command{
		Use:   "fsck IMAGE",
		Short: "Check (and repair) the file system in a disk image",
		Long: `Check the mkos file system in the host file IMAGE: the superblock, the journal,
every inode and its blocks, the directory tree, link counts and both bitmaps
(see servers/fs/fsck). It prints one line per problem and a summary, and exits
with status 0 when the file system is clean, 1 otherwise.

With --repair it also fixes what it found — replays or empties the journal,
frees bad, lost and orphaned inodes, drops bad block addresses and directory
entries, and rewrites link counts and bitmaps — then checks again.`,
		Example: `  mkos fsck disk.img
  mkos fsck disk.img --repair`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runFsck(cmd, args[0], repair) },
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "fix the problems found")
	return cmd
}

func runFsck(cmd *cobra.Command, image string, repair bool) error {
	if fi, err := os.Stat(image); err == nil && fi.Size() == 0 {
		return errEmptyImage(image)
	}
	if blank, err := isBlank(image); err == nil && blank {
		return errBlankImage(image)
	}
	open := bdev.OpenFileReadOnly // checking writes nothing: a read-only image can be checked
	if repair {
		open = bdev.OpenFile
	}
	dev, err := open(image, layout.BlockSize)
	if err != nil {
		return err
	}
	defer dev.Close()
	check := fsck.Check
	if repair {
		check = fsck.Repair
	}
	rep, err := check(dev)
	fmt.Fprint(cmd.OutOrStdout(), rep)
	if err != nil {
		return fmt.Errorf("fsck %s: %w", image, err)
	}
	switch {
	case !rep.Clean() && repair:
		return fmt.Errorf("fsck %s: %s left after repair", image, fsck.Count(len(rep.Problems)))
	case !rep.Clean():
		return fmt.Errorf("fsck %s: %s; mkos fsck --repair %s repairs the file system", image, fsck.Count(len(rep.Problems)), image)
	}
	return dev.Close()
}
