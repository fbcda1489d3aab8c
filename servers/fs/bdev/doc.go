// Package bdev is the block-device interface the file server reads and
// writes through, and its three implementations:
//
//	Disk  the disk driver service, over ipc/diskproto (in a running system)
//	File  a host image file (mkfs, fsck and tests, offline)
//	Mem   memory, with a power-cut model for crash tests: writes since the
//	      last Flush sit in a volatile cache and may be lost, in any subset
//
// Every method works on whole blocks; errors are errno values (EIO for a
// failed device, EINVAL for a request outside the device).
//
// Imports: ipc and ipc/diskproto only.
package bdev

import "github.com/mkos/mkos/ipc/linux"

// BlockDev is a block device: fixed-size blocks numbered from 0.
type BlockDev interface {
	// BlockSize returns the size of a block in bytes.
	BlockSize() int
	// Blocks returns the number of blocks.
	Blocks() int64
	// ReadBlocks reads len(buf)/BlockSize() blocks starting at block.
	ReadBlocks(block int64, buf []byte) error
	// WriteBlocks writes len(buf)/BlockSize() blocks starting at block. A
	// write may stay in a volatile cache until Flush.
	WriteBlocks(block int64, buf []byte) error
	// Flush returns when every earlier write is on the medium: the
	// barrier journaling is built on.
	Flush() error
}

// check validates a request of len(buf) bytes at block on a device of n
// blocks of bs bytes.
func check(bs int, n, block int64, buf []byte) error {
	if len(buf)%bs != 0 || block < 0 || block+int64(len(buf)/bs) > n {
		return linux.EINVAL
	}
	return nil
}
