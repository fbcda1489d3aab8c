package dsproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// TestDecodeHostileCounts: a record count that the bytes cannot hold —
// negative after a conversion, or huge — is EIO. It made the decoders
// allocate a slice of that capacity: a panic, or all the host's memory.
func TestDecodeHostileCounts(t *testing.T) {
	b := make([]byte, 40)
	for _, n := range []int{-1, 1 << 40, len(b) + 1} {
		var err error
		assert.NotPanics(t, func() { _, err = dsproto.DecodeKeys(b, n) }, "DecodeKeys(%d)", n)
		assert.Equal(t, linux.EIO, err, "DecodeKeys(%d) error", n)
		assert.NotPanics(t, func() { _, err = dsproto.DecodeChanges(b, n) }, "DecodeChanges(%d)", n)
		assert.Equal(t, linux.EIO, err, "DecodeChanges(%d) error", n)
	}
}
