package ipc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
)

func TestStateJSONRoundTrip(t *testing.T) {
	type rec struct {
		Gen  int
		Keys []string
	}
	ver, data, err := ipc.StateJSON(3, &rec{Gen: 7, Keys: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Equal(t, 3, ver)

	for _, c := range []struct {
		name    string
		version int
		data    []byte
		wantErr string
	}{
		{"its own version", 3, data, ""},
		{"another version", 2, data, "srv: state v2, this code reads v3"},
		{"damaged bytes", 3, data[:len(data)/2], "srv: state: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got rec
			err := ipc.RestoreJSON("srv", 3, c.version, c.data, &got)
			if c.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, rec{Gen: 7, Keys: []string{"a", "b"}}, got)
		})
	}
}
