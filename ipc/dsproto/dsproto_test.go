package dsproto_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
)

func TestChecks(t *testing.T) {
	tests := []struct {
		name            string
		key             string
		asKey, asPrefix error
	}{
		{"plain", "pm/proc/1", nil, nil},
		{"binary", "\x01\xff", nil, nil},
		{"empty", "", linux.EINVAL, nil},
		{"longest", strings.Repeat("k", dsproto.MaxKey), nil, nil},
		{"too long", strings.Repeat("k", dsproto.MaxKey+1), linux.EINVAL, linux.EINVAL},
		{"NUL", "a\x00", linux.EINVAL, linux.EINVAL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.asKey, dsproto.CheckKey(tc.key), "CheckKey")
			assert.Equal(t, tc.asPrefix, dsproto.CheckPrefix(tc.key), "CheckPrefix")
		})
	}
	assert.NoError(t, dsproto.CheckValue(make([]byte, dsproto.MaxValue)))
	assert.Equal(t, linux.E2BIG, dsproto.CheckValue(make([]byte, dsproto.MaxValue+1)))
	assert.Equal(t, linux.EINVAL, dsproto.CheckBits(0))
	assert.Equal(t, linux.EINVAL, dsproto.CheckBits(ipc.NotifyDeath|1))
	assert.NoError(t, dsproto.CheckBits(dsproto.DefaultBits))
}

// The largest Put fits one bulk window.
func TestLimitsFitOneWindow(t *testing.T) {
	assert.LessOrEqual(t, dsproto.MaxKey+dsproto.MaxValue, ipc.MaxBulk)
	assert.Less(t, dsproto.MaxKey, 256, "a key's length fits a record's length byte")
}

func TestRecords(t *testing.T) {
	keys := []string{"a", "", strings.Repeat("z", dsproto.MaxKey), "\xff"}
	var b []byte
	for _, k := range keys {
		b = dsproto.AppendKey(b, k)
	}
	got, err := dsproto.DecodeKeys(b, len(keys))
	assert.NoError(t, err)
	assert.Equal(t, keys, got)
	_, err = dsproto.DecodeKeys(b[:len(b)-1], len(keys))
	assert.Equal(t, linux.EIO, err, "a truncated key record")

	changes := []dsproto.Change{{Op: dsproto.OpPut, Key: "a"}, {Op: dsproto.OpDelete, Key: strings.Repeat("y", dsproto.MaxKey)}}
	b = nil
	for _, c := range changes {
		b = dsproto.AppendChange(b, c)
	}
	assert.Len(t, b, dsproto.ChangeHeader+1+dsproto.MinWindow)
	gotc, err := dsproto.DecodeChanges(b, len(changes))
	assert.NoError(t, err)
	assert.Equal(t, changes, gotc)
	_, err = dsproto.DecodeChanges(b[:1], 1)
	assert.Equal(t, linux.EIO, err, "a truncated change record")
	assert.Equal(t, "put", dsproto.OpPut.String())
	assert.Equal(t, "delete", dsproto.OpDelete.String())
}

func TestNamesCoverEveryType(t *testing.T) {
	for typ := dsproto.Put; typ <= dsproto.Crash; typ++ {
		assert.NotEmpty(t, dsproto.Names[typ], "type %d has no name", typ)
	}
	assert.Len(t, dsproto.Names, int(dsproto.Crash))
}
