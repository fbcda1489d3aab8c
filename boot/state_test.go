package boot

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
)

// dsConfig boots echo-free: ds alone in user space, rs to restart it.
func dsConfig(dir string) Config {
	c := Default()
	c.Servers = []ServerConf{{Name: "ds", Placement: "user", Instances: 1}}
	c.Workload = WorkloadConf{}
	c.DataDir = dir
	return c
}

// putCrashGet stores a key, crashes ds with an injected fault, and reads
// the key back through the restarted instance.
func putCrashGet(t *testing.T, c Config, key string) (got string, restarts int) {
	sys, err := Boot(c, nil)
	require.NoError(t, err)
	defer sys.Close()
	sys.Kernel.Spawn(ipc.TaskSpec{Name: "client", Body: func(s ipc.Sys) {
		cl, err := dsproto.Dial(s)
		require.NoError(t, err)
		require.NoError(t, cl.Put(key, []byte("kept")))
		require.NoError(t, s.Inject("ds", ipc.InjectCrash, 0))
		for try := 0; try < 10; try++ {
			v, err := cl.Get(key)
			if err == nil {
				got = string(v)
				return
			}
			s.Sleep(1_000_000)
		}
	}})
	_, err = sys.Run()
	require.NoError(t, err)
	return got, len(sys.Restarts)
}

func TestDataStoreKeepsItsDataAcrossItsRestart(t *testing.T) {
	got, restarts := putCrashGet(t, dsConfig(""), "k")
	assert.Equal(t, "kept", got, "the memory store outlives the ds instance")
	assert.Equal(t, 1, restarts)
}

func TestDataStoreInDataDirSurvivesMkos(t *testing.T) {
	dir := t.TempDir()
	got, _ := putCrashGet(t, dsConfig(dir), "first")
	require.Equal(t, "kept", got)

	// A second boot of mkos on the same data_dir finds the first key.
	sys, err := Boot(dsConfig(dir), nil)
	require.NoError(t, err)
	defer sys.Close()
	var again string
	sys.Kernel.Spawn(ipc.TaskSpec{Name: "reader", Body: func(s ipc.Sys) {
		cl, err := dsproto.Dial(s)
		require.NoError(t, err)
		v, err := cl.Get("first")
		require.NoError(t, err)
		again = string(v)
	}})
	_, err = sys.Run()
	require.NoError(t, err)
	assert.Equal(t, "kept", again)
}
