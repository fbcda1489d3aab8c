package main

import (
	"fmt"

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
	dev, err := bdev.OpenFile(image, layout.BlockSize)
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
	if !rep.Clean() {
		return fmt.Errorf("fsck %s: %d problems", image, len(rep.Problems))
	}
	return dev.Close()
}
