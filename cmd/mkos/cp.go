package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/wasi"
)

func newCpCmd() *cobra.Command {
	var mode string
	var maxTime time.Duration
	cmd := &cobra.Command{
		Use:   "cp SRC DST",
		Short: "Copy a file between the host and a disk image",
		Long: `Copy a file into or out of the file system of a disk image. One of SRC and DST
is IMAGE:/path, the other a host file. The copy goes through the real system:
mkos boots the kernel headless with the disk (its driver over IMAGE) and the
file server, and a user program copies the file with open, read, write and
fsync — so the journal and everything else is exercised as in a run. A DST
that is a directory gets SRC's base name. With --max-time a copy that has not
finished by then is stopped, leaves the image and the host file as they were,
and mkos exits with status 5.`,
		Example: `  mkos cp notes.txt disk.img:/notes.txt
  mkos cp disk.img:/notes.txt copy.txt
  mkos cp --mode mono big.bin disk.img:/data/`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error { return runCp(cmd, args[0], args[1], mode, maxTime) },
	}
	cmd.Flags().StringVar(&mode, "mode", "micro", "placement of the file server and the driver: micro, mono or hybrid")
	cmd.Flags().DurationVar(&maxTime, "max-time", 0, "stop the copy at this virtual time (0: none), changing nothing; mkos exits with status 5")
	return cmd
}

// imagePath splits "IMAGE:/path"; ok is false for a host path.
func imagePath(arg string) (image, p string, ok bool) {
	i := strings.Index(arg, ":/")
	if i <= 0 {
		return "", "", false
	}
	return arg[:i], arg[i+1:], true
}

func runCp(cmd *cobra.Command, src, dst, mode string, maxTime time.Duration) error {
	simg, spath, sIn := imagePath(src)
	dimg, dpath, dIn := imagePath(dst)
	if sIn == dIn {
		return errors.New("cp: exactly one of SRC and DST must be IMAGE:/path")
	}
	image := dimg
	if sIn {
		image = simg
	}
	if _, err := os.Stat(image); err != nil {
		return fmt.Errorf("cp: %w (create it with mkos mkfs)", err)
	}
	if err := checkImage(image); err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	if !writable(image) {
		if dIn {
			return fmt.Errorf("cp: %s is read-only: it can be checked and copied out of, not written", image)
		}
		scratch, remove, err := scratchCopy(image)
		if err != nil {
			return fmt.Errorf("cp: %w", err)
		}
		defer remove()
		image = scratch
	}
	cfg := boot.Default()
	cfg.Mode = boot.Mode(mode)
	cfg.Servers = nil
	cfg.Disk = &boot.DiskConf{Image: image, Kind: "ssd"}
	cfg = fsConfig(cfg)
	cfg.MaxTime = boot.Duration(maxTime)
	if err := cfg.Check(); err != nil {
		return err
	}
	if dIn {
		data, err := os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("cp: %w", err)
		}
		if maxTime > 0 {
			return copyInWhole(cfg, data, filepath.Base(src), dpath, dst)
		}
		return copyIn(cfg, data, filepath.Base(src), dpath, dst)
	}
	return copyOut(cfg, spath, src, dst)
}

// copyIn writes data to p in the image, as a user program.
func copyIn(cfg boot.Config, data []byte, base, p, shown string) error {
	var err error
	runErr := runHeadless(cfg, false, os.Stderr, func(sys ipc.Sys) {
		c, e := fsproto.Dial(sys)
		if e != nil {
			err = e
			return
		}
		if a, e := c.Stat(p); e == nil && a.IsDir() {
			p = path.Join(p, base)
		}
		err = writeAll(c, p, data)
	})
	return cpError(shown, errors.Join(runErr, err))
}

// copyInWhole is copyIn for a copy that may be stopped at the time
// limit: it writes into a copy of the image beside it, which replaces the
// image only when the copy finished, so a stopped copy changes nothing.
func copyInWhole(cfg boot.Config, data []byte, base, p, shown string) error {
	image := cfg.Disk.Image
	st, err := os.Stat(image)
	if err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	scratch, remove, err := scratchCopyIn(image, filepath.Dir(image))
	if err != nil {
		return fmt.Errorf("cp --max-time writes into a copy of %s beside it, so that a stopped copy changes nothing, and that copy could not be made: %w", image, err)
	}
	defer remove()
	disk := *cfg.Disk
	disk.Image = scratch
	cfg.Disk = &disk
	if err := copyIn(cfg, data, base, p, shown); err != nil {
		return err
	}
	if err := os.Chmod(scratch, st.Mode().Perm()); err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	return os.Rename(scratch, image)
}

// writeAll writes data to the file p, created with mode 0644, or 0755
// for a WebAssembly module: a program to run.
func writeAll(c fsproto.Client, p string, data []byte) error {
	mode := uint32(0o644)
	if wasi.IsModule(data) {
		mode = 0o755
	}
	fd, err := c.Open(p, linux.O_WRONLY|linux.O_CREAT|linux.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := c.Write(fd, data); err != nil {
		c.Close(fd)
		return err
	}
	if err := c.Fsync(fd); err != nil {
		c.Close(fd)
		return err
	}
	return c.Close(fd)
}

// copyOut reads p from the image, as a user program, into the host file
// dst.
func copyOut(cfg boot.Config, p, shown, dst string) error {
	var data []byte
	var err error
	runErr := runHeadless(cfg, false, os.Stderr, func(sys ipc.Sys) {
		c, e := fsproto.Dial(sys)
		if e != nil {
			err = e
			return
		}
		data, err = c.ReadFile(p)
	})
	if err := cpError(shown, errors.Join(runErr, err)); err != nil {
		return err
	}
	if st, err := os.Stat(dst); err == nil && st.IsDir() {
		dst = filepath.Join(dst, path.Base(p))
	}
	return os.WriteFile(dst, data, 0o644)
}

// cpError names the file in an error, and says what EUCLEAN means.
func cpError(name string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, linux.EUCLEAN):
		image, _, _ := imagePath(name)
		return fmt.Errorf("cp %s: the file server refused to mount the image: %w (run: mkos fsck --repair %s)", name, err, image)
	}
	return fmt.Errorf("cp %s: %w", name, err)
}
