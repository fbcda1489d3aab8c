package fs_test

// Benchmarks: the small-file cycle (create, write 4 KiB, read it back,
// close, unlink) and a sequential write and read, on the engine directly
// and through the kernel in each placement, over a memory disk (no disk
// latency: this measures the file server and the IPC, in host time).
//
//	go test ./servers/fs -run '^$' -bench .

import (
	"fmt"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// smallFile is one create–write–read–close–unlink cycle.
func smallFile(c fsproto.Client, name string, data, buf []byte) error {
	fd, err := c.Open(name, linux.O_RDWR|linux.O_CREAT|linux.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := c.Write(fd, data); err != nil {
		return err
	}
	if _, err := c.Pread(fd, buf, 0); err != nil {
		return err
	}
	if err := c.Close(fd); err != nil {
		return err
	}
	return c.Unlink(name)
}

func BenchmarkSmallFile(b *testing.B) {
	data, buf := make([]byte, 4096), make([]byte, 4096)
	b.Run("engine", func(b *testing.B) {
		f := mount(b, newDev(b, 64<<20))
		for i := 0; b.Loop(); i++ {
			name := fmt.Sprintf("/f%d", i%64)
			fd, err := f.Open(proc, name, linux.O_RDWR|linux.O_CREAT|linux.O_TRUNC, 0o644)
			if err == nil {
				_, err = f.Write(proc, fd, data)
			}
			if err == nil {
				_, err = f.Pread(proc, fd, buf, 0)
			}
			if err == nil {
				err = f.Close(proc, fd)
			}
			if err == nil {
				err = f.Unlink(name)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, p := range placements {
		b.Run(p, func(b *testing.B) {
			benchInKernel(b, p, func(c fsproto.Client, i int) error {
				return smallFile(c, fmt.Sprintf("/f%d", i%64), data, buf)
			})
		})
	}
}

func BenchmarkSequential(b *testing.B) {
	const size = 8 << 20
	chunk := make([]byte, ipc.MaxBulk)
	for _, p := range placements {
		b.Run(p, func(b *testing.B) {
			b.SetBytes(2 * size)
			benchInKernel(b, p, func(c fsproto.Client, i int) error {
				fd, err := c.Open("/seq", linux.O_RDWR|linux.O_CREAT|linux.O_TRUNC, 0o644)
				if err != nil {
					return err
				}
				for off := 0; off < size && err == nil; off += len(chunk) {
					_, err = c.Write(fd, chunk)
				}
				for off := int64(0); off < size && err == nil; off += int64(len(chunk)) {
					_, err = c.Pread(fd, chunk, off)
				}
				if err != nil {
					return err
				}
				return c.Close(fd)
			})
		})
	}
}

// benchInKernel runs op b.N times in a client task of a booted system.
func benchInKernel(b *testing.B, placement string, op func(c fsproto.Client, i int) error) {
	var failed error
	sys := boot(b, sysConf{placement: placement, dev: newDev(b, 64<<20)}, func(sys ipc.Sys) {
		c := client(sys)
		for i := 0; b.Loop(); i++ {
			if err := op(c, i); err != nil {
				failed = err
				return
			}
		}
	})
	if err := sys.k.Run(); err != nil {
		b.Fatal(err)
	}
	if failed != nil {
		b.Fatal(failed)
	}
}
