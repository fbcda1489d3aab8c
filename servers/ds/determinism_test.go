package ds_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/ds/store"
)

// The backend leaks into nothing a run shows: the same workload on the
// memory store and on the file store (twice, on fresh files) gives the
// same trace, byte for byte. The file store's host I/O takes no virtual
// time, and it returns what the memory store returns.
func TestBackendsGiveIdenticalTraces(t *testing.T) {
	runs := []struct {
		name string
		open func(t *testing.T) store.Store
	}{
		{"memory", func(t *testing.T) store.Store { return store.NewMemory() }},
		{"bolt", openBolt},
		{"bolt again", openBolt},
		{"redis", openRedis},
		{"redis again", openRedis},
	}
	var traces [][]byte
	for _, r := range runs {
		st := r.open(t)
		traces = append(traces, traceWorkload(t, st))
		require.NoError(t, st.Close())
	}
	require.NotEmpty(t, traces[0])
	for i := 1; i < len(runs); i++ {
		assert.True(t, bytes.Equal(traces[0], traces[i]), "trace on %s differs from the trace on %s", runs[i].name, runs[0].name)
	}
}

func openBolt(t *testing.T) store.Store {
	st, err := store.OpenBolt(filepath.Join(t.TempDir(), store.BoltFile))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// traceWorkload runs writers and a watcher against ds on st and returns
// the kernel's trace and what the clients saw.
func traceWorkload(t *testing.T, st store.Store) []byte {
	var out bytes.Buffer
	tr := kernel.NewJSONTracer(&out)
	k, err := kernel.New(kernel.Config{Seed: 7, CPUs: 2, Trace: tr})
	require.NoError(t, err)
	_, err = k.Declare(dsproto.Name)
	require.NoError(t, err)
	_, err = k.Spawn(dsTask(ds.New(st, ds.Options{})))
	require.NoError(t, err)
	var seen []string
	spawn(t, k, "watcher", func(sys ipc.Sys, c *dsproto.Client) {
		_, err := c.Subscribe("w/", dsproto.DefaultBits)
		assert.NoError(t, err)
		for len(seen) < 6 {
			var m ipc.Message
			if sys.Receive(ipc.Any, &m) != nil {
				return
			}
			cs, _, _ := c.Changes()
			for _, ch := range cs {
				seen = append(seen, ch.Op.String()+" "+ch.Key)
			}
		}
		keys, _ := c.List("")
		seen = append(seen, fmt.Sprint(keys))
	})
	for w := range 2 {
		spawn(t, k, fmt.Sprint("writer", w), func(sys ipc.Sys, c *dsproto.Client) {
			for i := range 3 {
				sys.Sleep(int64(10_000 * (w + 1)))
				key := fmt.Sprintf("w/%d/%d", w, i)
				assert.NoError(t, c.Put(key, bytes.Repeat([]byte{byte(i)}, 100*i)))
				v, _ := c.Get(key)
				assert.Len(t, v, 100*i)
			}
		})
	}
	run(t, k)
	require.NoError(t, tr.Flush())
	fmt.Fprintln(&out, seen)
	return out.Bytes()
}
