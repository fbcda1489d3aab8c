package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/ds/store"
)

// The file store keeps what it acknowledged across a close and a reopen:
// a restart of mkos itself.
func TestBoltSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.BoltFile)
	s, err := store.OpenBolt(path)
	require.NoError(t, err)
	putAll(t, s, "pm/1", "pm/2", "fs/open/3")
	require.NoError(t, s.Delete("pm/2"))
	require.NoError(t, s.Close())

	s, err = store.OpenBolt(path)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, []string{"fs/open/3", "pm/1"}, scan(t, s, "", ""))
	assert.Equal(t, []byte("pm/1"), mustGet(t, s, "pm/1"))
}

// A second open of a file another store holds fails instead of waiting
// forever for the lock.
func TestBoltSecondOpenFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.BoltFile)
	s, err := store.OpenBolt(path)
	require.NoError(t, err)
	defer s.Close()
	_, err = store.OpenBolt(path)
	assert.Error(t, err)
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name    string
		backend string
		dir     bool
		want    string // the type opened, "" for an error
	}{
		{"no directory is memory", "", false, "*store.Memory"},
		{"a directory is the file store", "", true, "*store.Bolt"},
		{"memory by name", "memory", true, "*store.Memory"},
		{"bolt by name", "bolt", true, "*store.Bolt"},
		{"unknown backend", "tape", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := ""
			if tc.dir {
				dir = filepath.Join(t.TempDir(), "data")
			}
			var s store.Store
			var err error
			if tc.backend == "" {
				s, err = store.Open(dir)
			} else {
				s, err = store.OpenNamed(tc.backend, dir)
			}
			if tc.want == "" {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			defer s.Close()
			assert.Equal(t, tc.want, fmt.Sprintf("%T", s))
		})
	}
}
