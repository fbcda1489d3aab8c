package boot

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
)

// TestSwapToItsOwnDisk boots mm with a resident cap below the working set
// and a swap: section: dirty pages go out to the swap disk through its
// driver and come back intact.
func TestSwapToItsOwnDisk(t *testing.T) {
	for _, mode := range []Mode{Micro, Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			c := Default()
			c.Mode = mode
			c.Workload = WorkloadConf{}
			c.Servers = []ServerConf{{Name: "mm"}}
			c.Memory = MemoryConf{Frames: 64, Resident: 8, Policy: "fifo"}
			c.Swap = &DiskConf{Size: 4 << 20, Kind: "ssd"}
			sys, err := Boot(c, nil)
			require.NoError(t, err)
			defer sys.Close()
			const pages = 24
			var mismatches int
			sys.Kernel.Spawn(ipc.TaskSpec{Name: "toucher", Body: func(s ipc.Sys) {
				m, err := mmproto.Dial(s)
				require.NoError(t, err)
				_, err = m.Brk(mmproto.HeapBase + pages*ipc.PageSize)
				require.NoError(t, err)
				for p := uint64(0); p < pages; p++ {
					require.NoError(t, s.Store(mmproto.HeapBase+p*ipc.PageSize, bytes.Repeat([]byte{byte(p + 1)}, 64)))
				}
				for p := uint64(0); p < pages; p++ {
					got := make([]byte, 64)
					require.NoError(t, s.Load(mmproto.HeapBase+p*ipc.PageSize, got))
					if !bytes.Equal(got, bytes.Repeat([]byte{byte(p + 1)}, 64)) {
						mismatches++
					}
				}
			}})
			_, err = sys.Run()
			require.NoError(t, err)
			assert.Zero(t, mismatches, "every page came back from swap intact")
			st := sys.SwapDisk.Stats()
			assert.Greater(t, st.Writes, int64(0), "dirty victims were written to the swap disk")
			assert.Greater(t, st.Reads, int64(0), "and read back")
		})
	}
}
