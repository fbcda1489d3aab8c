package fs

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/fs/layout"
)

// The state's layout reads back as written, and a damaged one is refused
// with an error, never a panic.
func TestStateEncoding(t *testing.T) {
	blk := bytes.Repeat([]byte{7}, layout.BlockSize)
	st := fsState{Mounted: true, Procs: []procFiles{{P: 5, Files: []openFile{{FD: 3, Ino: 9, Flags: 2, Off: 100}}}},
		Blocks: []cachedBlock{{No: 12, Data: blk}, {No: 3, Data: make([]byte, layout.BlockSize)}}, Queued: 4}
	data, err := encodeState(&st)
	require.NoError(t, err)
	got, err := decodeState(data)
	require.NoError(t, err)
	assert.Equal(t, st, *got)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"a header past the end", []byte{255, 255, 0, 0, '{'}},
		{"not JSON", append([]byte{1, 0, 0, 0}, 'x')},
		{"a block cut short", data[:len(data)-1]},
		{"a block too many", append(append(append([]byte(nil), data...), 0, 16, 0, 0), blk...)},
		{"a block of another size", append(append(append([]byte(nil), data...), 1, 0, 0, 0), 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeState(tt.data)
			assert.Error(t, err)
			s := &Server{}
			assert.Error(t, s.Restore(stateVersion, tt.data), "Restore")
		})
	}
	assert.Error(t, (&Server{}).Restore(stateVersion+1, data), "Restore of another version")
}
