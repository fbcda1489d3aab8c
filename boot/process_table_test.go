package boot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/ds/store"
	"github.com/mkos/mkos/servers/pm"
)

// TestRemoteTableIsTheParentsTable: a pm process's table (remoteTable)
// reads and writes, through the window, the very MemStore a pm task
// uses in mkos; a missing key is ENOENT and deleting one is no error, as
// pm's Store says.
func TestRemoteTableIsTheParentsTable(t *testing.T) {
	parent := pm.NewMemStore()
	rt := remoteTable{overWindow(tableHost{parent})}
	require.NoError(t, rt.Put(nil, "pm/proc/2", []byte("two")))
	require.NoError(t, rt.Put(nil, "pm/proc/10", []byte("ten")))
	require.NoError(t, parent.Put(nil, "pm/next", []byte("11")))
	v, err := parent.Get(nil, "pm/proc/2")
	require.NoError(t, err)
	assert.Equal(t, "two", string(v), "the parent's Get(pm/proc/2) after the process's Put")
	v, err = rt.Get(nil, "pm/next")
	require.NoError(t, err)
	assert.Equal(t, "11", string(v), "the process's Get(pm/next) after the parent's Put")
	_, err = rt.Get(nil, "pm/proc/3")
	assert.ErrorIs(t, err, linux.ENOENT, "Get of a missing key")
	keys, err := rt.List(nil, "pm/proc/")
	require.NoError(t, err)
	assert.Equal(t, []string{"pm/proc/10", "pm/proc/2"}, keys, "List(pm/proc/)")
	require.NoError(t, rt.Delete(nil, "pm/proc/2"))
	require.NoError(t, rt.Delete(nil, "pm/proc/2"), "Delete of a missing key")
	_, err = parent.Get(nil, "pm/proc/2")
	assert.ErrorIs(t, err, linux.ENOENT, "the parent's Get after the process's Delete")
}

// TestTableHostScanAfter: the host side lists keys after `after` only,
// so a scan answer cut at scanBytes resumes where it stopped.
func TestTableHostScanAfter(t *testing.T) {
	h := tableHost{pm.NewMemStore()}
	for _, k := range []string{"pm/a", "pm/b", "pm/c", "other"} {
		require.NoError(t, h.Put(k, nil))
	}
	for _, c := range []struct {
		name, after string
		stop        int
		want        []string
	}{
		{"all", "", 0, []string{"pm/a", "pm/b", "pm/c"}},
		{"after b", "pm/b", 0, []string{"pm/c"}},
		{"stopped after one", "", 1, []string{"pm/a"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			require.NoError(t, h.Scan("pm/", c.after, func(k string) bool {
				got = append(got, k)
				return c.stop == 0 || len(got) < c.stop
			}))
			assert.Equal(t, c.want, got, "Scan(pm/, %q)", c.after)
		})
	}
	_, err := h.Get("pm/z")
	assert.ErrorIs(t, err, store.ErrNotFound, "Get of a missing key")
}
