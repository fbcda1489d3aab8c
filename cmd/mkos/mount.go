package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/fusemount"
)

func newMountCmd() *cobra.Command {
	var readOnly bool
	var mode string
	cmd := &cobra.Command{
		Use:   "mount IMAGE DIR",
		Short: "Mount a disk image's file system on the host (FUSE, Linux)",
		Long: `Mount the mkos file system in IMAGE at the host directory DIR, so that the
host's ls, cat, cp, find and diff work on it. mkos boots the disk driver over
IMAGE and the real file server in the simulator; every host request becomes
file-server calls (fsproto) made by one task. A write the host was told
succeeded is committed to IMAGE (the file server commits before it answers),
so it survives a kill of this process. mkos mount runs until DIR is unmounted
(umount DIR) or it is interrupted (Ctrl-C), then syncs and exits; fsck finds
IMAGE clean. Linux only: a direct mount as root, no fusermount needed.`,
		Example: `  mkos mount disk.img /mnt/mkos &
  ls -l /mnt/mkos; cp notes.txt /mnt/mkos/; umount /mnt/mkos
  mkos mount --read-only disk.img /mnt/mkos`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMount(cmd, args[0], args[1], fusemount.Options{ReadOnly: readOnly, Mode: boot.Mode(mode)})
		},
	}
	cmd.Flags().BoolVar(&readOnly, "read-only", false, "refuse every change (EROFS)")
	cmd.Flags().StringVar(&mode, "mode", "micro", "placement of the file server and the driver: micro, mono or hybrid")
	return cmd
}

func runMount(cmd *cobra.Command, image, dir string, o fusemount.Options) error {
	if _, err := os.Stat(image); err != nil {
		return fmt.Errorf("mount: %w (create it with mkos mkfs)", err)
	}
	if err := checkImage(image); err != nil {
		return fmt.Errorf("mount: %w", err)
	}
	if !o.ReadOnly && !writable(image) {
		return fmt.Errorf("mount: %s is read-only: use --read-only", image)
	}
	m, err := fusemount.Start(image, dir, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "mkos: %s mounted at %s; umount %s (or Ctrl-C) to end\n", image, dir, dir)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		if _, ok := <-sig; ok {
			_ = m.Unmount()
		}
	}()
	err = m.Wait()
	signal.Stop(sig)
	close(sig)
	return err
}
