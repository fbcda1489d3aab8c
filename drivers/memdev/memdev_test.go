package memdev_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/drivers/memdev"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/kernel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// withMemdev boots a kernel (seeded with seed) with the memory devices
// placed in user space or in the kernel, runs body as a client, and runs
// the kernel to its end.
func withMemdev(t *testing.T, inKernel bool, seed uint64, o memdev.Options, body func(c streamproto.Client)) {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: seed})
	require.NoError(t, err)
	srv := memdev.New(o)
	if inKernel {
		_, err = k.Place(streamproto.Memdev, srv)
	} else {
		_, err = k.Declare(streamproto.Memdev)
		require.NoError(t, err)
		_, err = k.Spawn(ipc.TaskSpec{Name: "memdev", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, streamproto.Memdev, srv) }})
	}
	require.NoError(t, err)
	_, err = k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		c, err := streamproto.Dial(sys, streamproto.Memdev)
		if assert.NoError(t, err) {
			body(c)
		}
	}})
	require.NoError(t, err)
	require.NoError(t, k.Run())
}

var placements = map[string]bool{"user space": false, "kernel": true}

// open opens name read-write, failing the test on an error.
func open(t *testing.T, c streamproto.Client, name string) streamproto.Handle {
	h, err := c.OpenStream(name, linux.O_RDWR)
	assert.NoError(t, err, "open %s", name)
	return h
}

func TestDevices(t *testing.T) {
	for pl, inKernel := range placements {
		t.Run(pl, func(t *testing.T) {
			withMemdev(t, inKernel, 1, memdev.Options{}, func(c streamproto.Client) {
				buf := bytes.Repeat([]byte{0xaa}, 1000)

				null := open(t, c, "null")
				n, err := c.Read(null, buf)
				assert.NoError(t, err)
				assert.Zero(t, n, "null reads end of file")
				n, err = c.Write(null, make([]byte, 100<<10))
				assert.NoError(t, err)
				assert.Equal(t, 100<<10, n, "null takes every byte")

				zero := open(t, c, "zero")
				n, err = c.Read(zero, buf)
				assert.NoError(t, err)
				assert.Equal(t, 1000, n)
				assert.Equal(t, make([]byte, 1000), buf, "zero reads zeros")
				n, err = c.Write(zero, []byte("gone"))
				assert.NoError(t, err)
				assert.Equal(t, 4, n)

				full := open(t, c, "full")
				_, err = c.Write(full, []byte("x"))
				assert.ErrorIs(t, err, linux.ENOSPC, "full is full")
				n, err = c.Read(full, buf[:10])
				assert.NoError(t, err)
				assert.Equal(t, 10, n)

				rnd := open(t, c, "random")
				n, err = c.Read(rnd, buf)
				assert.NoError(t, err)
				assert.Equal(t, 1000, n)
				assert.NotEqual(t, make([]byte, 1000), buf, "random is not zeros")
			})
		})
	}
}

// randomBytes reads n bytes of random in a kernel seeded with seed.
func randomBytes(t *testing.T, inKernel bool, seed uint64, o memdev.Options, n int) []byte {
	out := make([]byte, n)
	withMemdev(t, inKernel, seed, o, func(c streamproto.Client) {
		h := open(t, c, "random")
		for got := 0; got < n; {
			k, err := c.Read(h, out[got:])
			if !assert.NoError(t, err) {
				return
			}
			got += k
		}
	})
	return out
}

func TestRandomIsDeterministicPerSeed(t *testing.T) {
	for pl, inKernel := range placements {
		t.Run(pl, func(t *testing.T) {
			a := randomBytes(t, inKernel, 7, memdev.Options{}, 100_000)
			b := randomBytes(t, inKernel, 7, memdev.Options{}, 100_000)
			c := randomBytes(t, inKernel, 8, memdev.Options{}, 100_000)
			assert.Equal(t, a, b, "the same boot seed gives the same bytes")
			assert.NotEqual(t, a, c, "another boot seed, other bytes")
			d := randomBytes(t, inKernel, 7, memdev.Options{Seed: 99}, 64)
			e := randomBytes(t, inKernel, 8, memdev.Options{Seed: 99}, 64)
			assert.Equal(t, d, e, "an explicit seed wins over the boot seed")
		})
	}
}

func TestHandles(t *testing.T) {
	withMemdev(t, false, 1, memdev.Options{}, func(c streamproto.Client) {
		_, err := c.OpenStream("mem", linux.O_RDONLY)
		assert.ErrorIs(t, err, linux.ENOENT)
		_, err = c.OpenStream("null", linux.O_ACCMODE)
		assert.ErrorIs(t, err, linux.EINVAL)
		ro, err := c.OpenStream("zero", linux.O_RDONLY)
		assert.NoError(t, err)
		_, err = c.Write(ro, []byte("x"))
		assert.ErrorIs(t, err, linux.EBADF, "a read-only handle")
		wo, err := c.OpenStream("zero", linux.O_WRONLY)
		assert.NoError(t, err)
		_, err = c.Read(wo, make([]byte, 1))
		assert.ErrorIs(t, err, linux.EBADF, "a write-only handle")
		d, err := c.Dup(ro)
		assert.NoError(t, err)
		assert.NotEqual(t, ro, d)
		n, err := c.Read(d, make([]byte, 3))
		assert.NoError(t, err)
		assert.Equal(t, 3, n, "the dup reads the same device")
		assert.NoError(t, c.Close(d))
		_, err = c.Read(streamproto.Handle(5), make([]byte, 1))
		assert.ErrorIs(t, err, linux.EBADF)
		_, err = c.Mode(ro)
		assert.ErrorIs(t, err, linux.ENOTTY, "not a terminal")
		_, _, err = c.Pipe()
		assert.ErrorIs(t, err, linux.ENOSYS)
	})
}
