package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/servers/fs/bdev"
	"github.com/mkos/mkos/servers/fs/fsck"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Disk images, one behaviour: fsck, cp and run (-c, shell) treat an
// image the same way before they use it.
//
//   - An empty (zero-length) image holds no file system: each refuses it
//     with the same words, and leaves it as it is. A blank one (block 0
//     zeros, as truncate(1) makes) is formatted by run, with a note, and
//     refused by cp and fsck.
//   - A missing one is created by run (documented), refused by fsck and
//     cp.
//   - An image whose file system has problems is refused by run and cp at
//     boot, once, with the first problem and the exact repair command;
//     fsck lists them all.
//   - A read-only image is opened read-only when nothing is written:
//     fsck without --repair reads it in place; cp copies out of it
//     through a scratch copy (the file server writes at mount: it replays
//     the journal and counts the mount).

// errEmptyImage is the error of an image with no bytes.
func errEmptyImage(image string) error {
	return fmt.Errorf("%s is empty (0 bytes): it holds no file system; make one with: mkos mkfs %s", image, image)
}

// checkImage checks an image that exists before a command uses it: not
// empty, not blank, and a file system fsck finds clean. A missing image
// is left to the caller (nil). The check reads only.
func checkImage(image string) error {
	if blank, err := isBlank(image); err == nil && blank {
		return errBlankImage(image)
	}
	return checkFS(image)
}

// errBlankImage is the error of an image whose block 0 is zeros.
func errBlankImage(image string) error {
	return fmt.Errorf("%s is blank (block 0 is zeros): it holds no file system; make one with: mkos mkfs %s", image, image)
}

// isBlank reports whether the image's first block is all zeros: an image
// that never held a file system (run formats one; cp and fsck refuse it).
func isBlank(image string) (bool, error) {
	f, err := os.Open(image)
	if err != nil {
		return false, err
	}
	defer f.Close()
	b := make([]byte, layout.BlockSize)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, err
	}
	return !slices.ContainsFunc(b[:n], func(c byte) bool { return c != 0 }), nil
}

// checkFS is checkImage after the blank check.
func checkFS(image string) error {
	fi, err := os.Stat(image)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Size() == 0:
		return errEmptyImage(image)
	}
	dev, err := bdev.OpenFileReadOnly(image, layout.BlockSize)
	if err != nil {
		return err
	}
	defer dev.Close()
	rep, err := fsck.Check(dev)
	if err != nil {
		return fmt.Errorf("%s: %w", image, err)
	}
	if !rep.Clean() {
		more := ""
		if n := len(rep.Problems); n > 1 {
			more = fmt.Sprintf(" (and %d more; mkos fsck %s lists them)", n-1, image)
		}
		return fmt.Errorf("%s needs repair: %s: %s%s; run: mkos fsck --repair %s",
			image, fsck.Count(len(rep.Problems)), rep.Problems[0], more, image)
	}
	return nil
}

// writable reports whether the image can be opened for writing (a
// variable: tests run as root, for whom every file is writable).
var writable = func(image string) bool {
	f, err := os.OpenFile(image, os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// scratchCopy copies a read-only image to a temporary file, for a run
// that only reads it; remove removes the copy.
func scratchCopy(image string) (path string, remove func(), err error) {
	return scratchCopyIn(image, "")
}

// scratchCopyIn is scratchCopy with the copy in directory dir ("": the
// host's temporary directory).
func scratchCopyIn(image, dir string) (path string, remove func(), err error) {
	src, err := os.Open(image)
	if err != nil {
		return "", nil, err
	}
	defer src.Close()
	dst, err := os.CreateTemp(dir, ".mkos-scratch-*.img")
	if err != nil {
		return "", nil, err
	}
	remove = func() { os.Remove(dst.Name()) }
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		remove()
		return "", nil, err
	}
	if err := dst.Close(); err != nil {
		remove()
		return "", nil, err
	}
	return dst.Name(), remove, nil
}

// checkRunImage checks the disk image of a run before it boots: an
// empty one is refused; with the file server (withFS), so is one whose
// file system needs repair.
func checkRunImage(cfg boot.Config, withFS bool) error {
	if cfg.Disk == nil || cfg.Disk.Image == "" {
		return nil
	}
	image := cfg.Disk.Image
	if fi, err := os.Stat(image); err == nil && fi.Size() == 0 {
		return errEmptyImage(image)
	}
	if blank, err := isBlank(image); !withFS || err == nil && blank {
		return nil // a blank image gets a new file system at boot
	}
	return checkFS(image)
}
