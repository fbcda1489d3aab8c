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
	sizeBytes, exists, err := mkfsSize(image, size)
	if err != nil {
		return err
	}
	sb, err := layout.Plan(sizeBytes, inodes, journal)
	if err != nil {
		return fmt.Errorf("mkfs %s: %w", image, err)
	}
	if err := writeFS(image, sizeBytes, exists, sb); err != nil {
		if !exists {
			_ = os.Remove(image) // a failed mkfs leaves no file behind
		}
		return fmt.Errorf("mkfs %s: %w", image, err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %d blocks of %d bytes (%d MiB): journal %d blocks, %d inodes, data blocks %d-%d\n",
		image, sb.Blocks, layout.BlockSize, int64(sb.Blocks)*layout.BlockSize>>20, sb.JournalBlocks, sb.Inodes-1,
		sb.DataStart, sb.Blocks-1)
	return nil
}

// mkfsSize is the size of the new file system: --size, else the
// existing image's, else 64MiB. exists says whether the image is there.
func mkfsSize(image, size string) (sizeBytes int64, exists bool, err error) {
	fi, statErr := os.Stat(image)
	exists = statErr == nil
	switch {
	case size != "":
		sizeBytes, err = boot.ParseSize(size)
		if err != nil {
			return 0, exists, fmt.Errorf("--size: %w", err)
		}
	case exists && fi.Size() > 0:
		sizeBytes = fi.Size()
	default:
		sizeBytes = 64 << 20
	}
	return sizeBytes, exists, nil
}

// writeFS creates or resizes the image and writes the file system sb.
func writeFS(image string, sizeBytes int64, exists bool, sb layout.Superblock) error {
	var dev *bdev.File
	var err error
	if exists && sizeBytes == mustSize(image) {
		dev, err = bdev.OpenFile(image, layout.BlockSize)
	} else {
		dev, err = bdev.CreateFile(image, sizeBytes, layout.BlockSize)
	}
	if err != nil {
		return err
	}
	defer dev.Close()
	if err := boot.Mkfs(dev, sb); err != nil {
		return err
	}
	return dev.Close()
}

// mustSize is the size of an image known to exist, -1 if it went away.
func mustSize(image string) int64 {
	fi, err := os.Stat(image)
	if err != nil {
		return -1
	}
	return fi.Size()
}
