package mem_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
	"github.com/mkos/mkos/user/mem"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestTypedAccess(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	_, err = k.Place(mmproto.Name, mm.New())
	require.NoError(t, err)
	ran := false
	_, err = k.Spawn(ipc.TaskSpec{Name: "user", Body: func(sys ipc.Sys) {
		c, err := mmproto.Dial(sys)
		assert.NoError(t, err)
		h := mem.Heap{MM: c}
		a, err := h.Alloc(3)
		assert.NoError(t, err)
		b, err := h.Alloc(16)
		assert.NoError(t, err)
		assert.Equal(t, mmproto.HeapBase, a)
		assert.Equal(t, mmproto.HeapBase+8, b, "aligned to 8")

		assert.NoError(t, mem.StoreByte(sys, a, 0xab))
		v, err := mem.LoadByte(sys, a)
		assert.NoError(t, err)
		assert.Equal(t, byte(0xab), v)

		assert.NoError(t, mem.StoreWord(sys, b, 0x0102030405060708))
		w, err := mem.LoadWord(sys, b)
		assert.NoError(t, err)
		assert.Equal(t, uint64(0x0102030405060708), w)
		lo, _ := mem.LoadByte(sys, b)
		assert.Equal(t, byte(0x08), lo, "little-endian")

		// A string that ends right before an unmapped page.
		region, _ := c.Mmap(0, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		at := region + ipc.PageSize - 6
		assert.NoError(t, mem.StoreString(sys, at, "hello"))
		s, err := mem.LoadString(sys, at, 100)
		assert.NoError(t, err)
		assert.Equal(t, "hello", s)
		_, err = mem.LoadString(sys, at, 3)
		assert.ErrorIs(t, err, mem.ErrNoNUL)
		bs, err := mem.LoadBytes(sys, at, 5)
		assert.NoError(t, err)
		assert.Equal(t, "hello", string(bs))
		ran = true
	}})
	require.NoError(t, err)
	require.NoError(t, k.Run())
	assert.True(t, ran)
}
