package ipc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
)

// A packed state reads back as written; a damaged one is an error.
func TestPackState(t *testing.T) {
	type header struct {
		N    int
		Name string
	}
	blobs := [][]byte{{1, 2, 3}, {}, make([]byte, 5000)}
	data, err := ipc.PackState(header{7, "x"}, blobs)
	require.NoError(t, err)
	var h header
	got, err := ipc.UnpackState(data, &h)
	require.NoError(t, err)
	assert.Equal(t, header{7, "x"}, h)
	assert.Equal(t, blobs, got)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"a header length past the end", []byte{200, 0, 0, 0, '{', '}'}},
		{"a header that is not JSON", []byte{1, 0, 0, 0, '{'}},
		{"a blob cut short", data[:len(data)-1]},
		{"a blob length cut short", append(append([]byte(nil), data...), 1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ipc.UnpackState(tt.data, &h)
			assert.Error(t, err)
		})
	}
}
