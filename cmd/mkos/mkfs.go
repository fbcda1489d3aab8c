package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/layout"
)

func newMkfsCmd() *cobra.Command {
	var size string
	var inodes, journal int
	cmd := &cobra.Command{
		Use:   "mkfs IMAGE",
		Short: "Create an empty file system in a disk image",
		Long: `Create an empty mkos file system in the host file IMAGE: a superblock, a
journal, the inode and block bitmaps, an inode table and the root directory
(see servers/fs/layout). IMAGE is created with --size (default 64MiB) or, when
it exists and --size is not given, keeps its size. Everything in it is lost.`,
		Example: `  mkos mkfs disk.img
  mkos mkfs disk.img --size 256MiB --inodes 4096`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return mkfs(cmd, args[0], size, inodes, journal)
		},
	}
	cmd.Flags().StringVar(&size, "size", "", "image size, like 16MiB or 1GiB (default: the image's size, else 64MiB)")
	cmd.Flags().IntVar(&inodes, "inodes", 0, "number of inodes (default: one per 16 KiB)")
	cmd.Flags().IntVar(&journal, "journal", 0, "journal blocks (default: 1/32 of the disk, within limits)")
	return cmd
}

func mkfs(cmd *cobra.Command, image, size string, inodes, journal int) error {
	dev, err := openForMkfs(image, size)
	if err != nil {
		return err
	}
	defer dev.Close()
	sb, err := layout.Plan(dev.Blocks()*layout.BlockSize, inodes, journal)
	if err != nil {
		return fmt.Errorf("mkfs %s: %w", image, err)
	}
	if err := boot.Mkfs(dev, sb); err != nil {
		return fmt.Errorf("mkfs %s: %w", image, err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %d blocks of %d bytes (%d MiB): journal %d blocks, %d inodes, data blocks %d-%d\n",
		image, sb.Blocks, layout.BlockSize, int64(sb.Blocks)*layout.BlockSize>>20, sb.JournalBlocks, sb.Inodes-1,
		sb.DataStart, sb.Blocks-1)
	return dev.Close()
}

// openForMkfs opens or creates the image with the requested size.
func openForMkfs(image, size string) (*bdev.File, error) {
	if size == "" {
		if _, err := os.Stat(image); err == nil {
			return bdev.OpenFile(image, layout.BlockSize)
		}
		size = "64MiB"
	}
	n, err := boot.ParseSize(size)
	if err != nil {
		return nil, fmt.Errorf("--size: %w", err)
	}
	return bdev.CreateFile(image, n, layout.BlockSize)
}
