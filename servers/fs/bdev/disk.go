package bdev

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
)

// Disk is the disk driver service as a BlockDev. Requests are split to fit
// the bulk window (ipc.MaxBulk). The diskproto client re-issues a request
// whose driver died (ECONNRESET); Disk also re-issues one that found no
// driver instance in time (EAGAIN, a slow restart), up to Retries times:
// block reads and writes are idempotent, so a re-issued request is safe.
type Disk struct {
	// Client reaches the driver. A server placed in the kernel calls with
	// the Sys of the request it serves: set Client.Sys (Bind) before each
	// use.
	Client  diskproto.Client
	Retries int
	geo     diskproto.Geometry
}

// NewDisk asks the driver for its geometry and returns the device.
func NewDisk(c diskproto.Client) (*Disk, error) {
	d := &Disk{Client: c, Retries: 3}
	err := d.retry(func() error {
		g, err := c.Info()
		d.geo = g
		return err
	})
	if err != nil {
		return nil, err
	}
	if d.geo.BlockSize <= 0 || d.geo.Blocks <= 0 {
		return nil, errors.New("disk: the driver reports no blocks")
	}
	return d, nil
}

// Bind makes later requests with sys.
func (d *Disk) Bind(sys ipc.Sys) { d.Client.Sys = sys }

// BlockSize returns the driver's block size.
func (d *Disk) BlockSize() int { return d.geo.BlockSize }

// Blocks returns the number of blocks.
func (d *Disk) Blocks() int64 { return d.geo.Blocks }

// Kind returns the driver's device kind ("hdd", "ssd", …).
func (d *Disk) Kind() string { return d.geo.Kind }

// per returns the most blocks one request moves.
func (d *Disk) per() int { return max(ipc.MaxBulk/d.geo.BlockSize, 1) }

// ReadBlocks reads whole blocks, in requests of at most ipc.MaxBulk bytes.
func (d *Disk) ReadBlocks(block int64, buf []byte) error {
	if err := check(d.geo.BlockSize, d.geo.Blocks, block, buf); err != nil {
		return err
	}
	return d.split(block, buf, d.Client.ReadBlocks)
}

// WriteBlocks writes whole blocks, in requests of at most ipc.MaxBulk bytes.
func (d *Disk) WriteBlocks(block int64, buf []byte) error {
	if err := check(d.geo.BlockSize, d.geo.Blocks, block, buf); err != nil {
		return err
	}
	return d.split(block, buf, d.Client.WriteBlocks)
}

// Flush waits until every earlier write is on the medium.
func (d *Disk) Flush() error { return d.retry(d.Client.Flush) }

func (d *Disk) split(block int64, buf []byte, op func(int64, int, []byte) error) error {
	bs, per := d.geo.BlockSize, d.per()
	for len(buf) > 0 {
		n := min(len(buf)/bs, per)
		chunk := buf[:n*bs]
		if err := d.retry(func() error { return op(block, n, chunk) }); err != nil {
			return err
		}
		block += int64(n)
		buf = buf[n*bs:]
	}
	return nil
}

// retry runs op again while the driver is restarting.
func (d *Disk) retry(op func() error) error {
	var err error
	for i := 0; i <= d.Retries; i++ {
		if err = op(); !errors.Is(err, ipc.ErrNoInstance) {
			return err
		}
	}
	return err
}
