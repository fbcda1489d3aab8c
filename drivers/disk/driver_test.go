package disk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

func TestReadAfterWrite(t *testing.T) {
	for _, pl := range placements {
		for _, kind := range hw.Kinds {
			t.Run(pl.name+"/"+kind, func(t *testing.T) {
				r := bootDisk(t, pl.place, hw.Options{Kind: kind, SizeBytes: 1 << 20}, "")
				var geo diskproto.Geometry
				var got []byte
				var stats diskproto.DriverStats
				r.client(t, "fs", func(sys ipc.Sys, c diskproto.Client) {
					var err error
					geo, err = c.Info()
					assert.NoError(t, err, "Info")
					assert.NoError(t, c.WriteBlocks(100, 3, fill(1, 3)), "write")
					assert.NoError(t, c.Flush(), "flush")
					got = make([]byte, 4*4096)
					assert.NoError(t, c.ReadBlocks(99, 4, got), "read")
					stats, err = c.Stats()
					assert.NoError(t, err, "Stats")
				})
				r.run(t)
				assert.Equal(t, diskproto.Geometry{BlockSize: 4096, Blocks: 256, Kind: kind}, geo)
				assert.Equal(t, make([]byte, 4096), got[:4096], "block 99 was never written")
				assert.Equal(t, fill(1, 3), got[4096:], "blocks 100-102 as written")
				assert.Equal(t, diskproto.DriverStats{Requests: 4, Seeks: 2, SeekDistance: 100 + 4, MaxQueue: 1}, stats,
					"info, write, flush, read; seeks 0→100 and 103→99")
				st := r.dev.Stats()
				assert.Equal(t, int64(1), st.Writes)
				assert.Equal(t, int64(1), st.Reads)
				var medium [4096]byte
				require.NoError(t, r.dev.ReadBlocks(102, medium[:]))
				assert.Equal(t, fill(3, 1), medium[:], "the write is on the medium")
			})
		}
	}
}

// Malformed requests get an errno and never a panic; the driver goes on
// serving good ones.
func TestBadRequests(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootDisk(t, pl.place, hw.Options{SizeBytes: 64 * 4096}, "")
			type call struct {
				name  string
				req   func() ipc.Message
				extra *ipc.Extra
				want  ipc.Errno
			}
			rw := func(typ ipc.Type, block, count uint64) func() ipc.Message {
				return func() ipc.Message {
					m := ipc.Message{Type: typ}
					m.SetWord(0, block)
					m.SetWord(1, count)
					return m
				}
			}
			big := &ipc.Extra{Send: make([]byte, ipc.MaxBulk), Recv: make([]byte, ipc.MaxBulk)}
			calls := []call{
				{"count 0", rw(diskproto.Read, 0, 0), big, linux.EINVAL},
				{"more than MaxBulk", rw(diskproto.Write, 0, 17), big, linux.EINVAL},
				{"huge count", rw(diskproto.Write, 1, 1<<63), big, linux.EINVAL},
				{"read past the end", rw(diskproto.Read, 63, 2), big, linux.EINVAL},
				{"write past the end", rw(diskproto.Write, 64, 1), big, linux.ENOSPC},
				{"write at a huge block", rw(diskproto.Write, 1<<63, 1), big, linux.ENOSPC},
				{"unknown type", rw(99, 0, 1), big, linux.ENOSYS},
				{"kernel-reserved type", rw(0xfe00, 0, 1), big, linux.ENOSYS},
				{"write window too small", rw(diskproto.Write, 0, 2), &ipc.Extra{Send: make([]byte, 4096)}, linux.EFAULT},
				{"read without a window", rw(diskproto.Read, 0, 1), nil, linux.EFAULT},
				{"good read after all that", rw(diskproto.Read, 63, 1), big, 0},
			}
			got := make([]ipc.Errno, len(calls))
			r.client(t, "fuzzer", func(sys ipc.Sys, c diskproto.Client) {
				for i, cl := range calls {
					req, rep := cl.req(), ipc.Message{}
					var err error
					if cl.extra == nil {
						err = sys.Call(c.Dst, &req, &rep)
					} else {
						err = sys.CallWith(c.Dst, &req, &rep, cl.extra)
					}
					assert.NoError(t, err, "%s: the call itself", cl.name)
					got[i] = ipc.Errno(rep.Errno)
				}
			})
			r.run(t)
			for i, cl := range calls {
				assert.Equal(t, cl.want, got[i], "%s: errno %v, want %v", cl.name, got[i], cl.want)
			}
		})
	}
}

// A driver whose device is not attached answers ENODEV.
func TestNoDeviceIsENODEV(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			k, err := kernel.New(kernel.Config{})
			require.NoError(t, err)
			drv, err := disk.New(disk.Options{})
			require.NoError(t, err)
			pl.place(t, k, drv)
			r := &rig{k: k, drv: drv}
			var readErr error
			r.client(t, "fs", func(_ ipc.Sys, c diskproto.Client) { readErr = c.ReadBlocks(0, 1, make([]byte, 4096)) })
			r.run(t)
			assert.ErrorIs(t, readErr, linux.ENODEV)
		})
	}
}

func TestUnknownScheduler(t *testing.T) {
	_, err := disk.New(disk.Options{Sched: "elevator"})
	assert.ErrorContains(t, err, `scheduler "elevator" is not one of [clook fifo sstf]`)
}

// A Flush is a barrier: it is answered after every request that came
// before it, and a request that comes after it waits for it even when the
// scheduler would pick it first (SSTF: block 8001 is where the head is).
func TestFlushIsABarrier(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootDisk(t, pl.place, hw.Options{}, "sstf")
			var order []string
			issue := func(name string, delayNs int64, op func(c diskproto.Client) error) {
				r.client(t, name, func(sys ipc.Sys, c diskproto.Client) {
					sys.Sleep(delayNs)
					assert.NoError(t, op(c), name)
					order = append(order, name)
				})
			}
			write := func(block int64) func(diskproto.Client) error {
				return func(c diskproto.Client) error { return c.WriteBlocks(block, 1, fill(9, 1)) }
			}
			issue("write 8000", 0, write(8000))
			issue("write 6000", 1_000, write(6000))
			issue("write 9000", 2_000, write(9000))
			issue("flush", 3_000, func(c diskproto.Client) error { return c.Flush() })
			issue("read 8001", 4_000, func(c diskproto.Client) error { return c.ReadBlocks(8001, 1, make([]byte, 4096)) })
			r.run(t)
			assert.Equal(t, []string{"write 8000", "write 9000", "write 6000", "flush", "read 8001"}, order,
				"SSTF from 8001: 9000 (999 away) before 6000 (2001); the read waits for the flush")
		})
	}
}

// A power cut fails the write on the device with EIO, and every request
// until the disk is powered on; completed writes survive, the cut one
// does not.
func TestPowerCutThroughTheDriver(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			r := bootDisk(t, pl.place, hw.Options{Kind: hw.KindSSD, SizeBytes: 1 << 20}, "")
			var firstErr, cutErr, offErr, onErr error
			got := make([]byte, 2*4096)
			r.client(t, "fs", func(sys ipc.Sys, c diskproto.Client) {
				firstErr = c.WriteBlocks(10, 1, fill(1, 1))
				cutErr = c.WriteBlocks(11, 1, fill(2, 1))
				offErr = c.ReadBlocks(10, 1, got)
				sys.Sleep(1_000_000)
				onErr = c.ReadBlocks(10, 2, got)
			})
			r.client(t, "power", func(sys ipc.Sys, _ diskproto.Client) {
				sys.Sleep(200_000 + 100_000) // the first write takes 208 µs; the second is on the device
				r.dev.PowerCut(sys.Now())
				sys.Sleep(500_000)
				r.dev.PowerOn()
			})
			r.run(t)
			assert.NoError(t, firstErr)
			assert.ErrorIs(t, cutErr, linux.EIO, "the write on the device at the cut")
			assert.ErrorIs(t, offErr, linux.EIO, "a read while the power is off")
			assert.NoError(t, onErr, "powered on again")
			assert.Equal(t, append(fill(1, 1), make([]byte, 4096)...), got, "block 10 survived, block 11 was lost")
			assert.Equal(t, int64(1), r.dev.Stats().LostWrites)
		})
	}
}
