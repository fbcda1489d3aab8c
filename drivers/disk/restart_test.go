package disk_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
)

// counting is a Sys that counts the calls the kernel failed because the
// serving instance died: the calls diskproto.Client retried.
type counting struct {
	ipc.Sys
	died *int
}

func (c counting) CallWith(dst ipc.Endpoint, req, rep *ipc.Message, x *ipc.Extra) error {
	err := c.Sys.CallWith(dst, req, rep, x)
	if errors.Is(err, ipc.ErrServiceDied) {
		*c.died++
	}
	return err
}

// The driver is killed while it holds a queue: a write on the device and
// three more waiting. The kernel fails the four calls with ECONNRESET, the
// supervisor restarts the driver, the clients' diskproto stubs retry, the
// new instance waits for its predecessor's write to leave the device — and
// every write and read succeeds with the right data.
func TestDriverKilledMidQueue(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			cfg := boot.Default()
			cfg.Mode = mode
			cfg.Workload.Clients = 0
			cfg.Disk = &boot.DiskConf{IOSched: "fifo"}
			sys, err := boot.Boot(cfg, nil)
			require.NoError(t, err)
			defer sys.Close()
			const clients = 4
			var died, done int
			got := make([][]byte, clients)
			for i := 0; i < clients; i++ {
				_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: fmt.Sprint("fs", i), Body: func(s ipc.Sys) {
					id, err := s.Lookup(diskproto.Name)
					assert.NoError(t, err)
					c := diskproto.Client{Sys: counting{Sys: s, died: &died}, Dst: ipc.ServiceEndpoint(id)}
					block := int64(i * 4000)
					if !assert.NoError(t, c.WriteBlocks(block, 16, fill(byte(16*i), 16)), "client %d write", i) {
						return
					}
					got[i] = make([]byte, 16*4096)
					assert.NoError(t, c.ReadBlocks(block, 16, got[i]), "client %d read", i)
					done++
				}})
				require.NoError(t, err)
			}
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "killer", Body: func(s ipc.Sys) {
				s.Sleep(1_000_000) // the first write is on the device, three wait
				ep := instance(sys, diskproto.Name)
				assert.NotZero(t, ep, "a live disk driver")
				assert.NoError(t, s.Kill(ep))
			}})
			require.NoError(t, err)
			_, err = sys.Run()
			require.NoError(t, err)

			assert.Equal(t, clients, done, "every client finished")
			assert.Equal(t, clients, died, "all four calls the driver held failed once and were retried")
			for i := range got {
				assert.Equal(t, fill(byte(16*i), 16), got[i], "client %d read back its write", i)
			}
			require.Len(t, sys.Restarts, 1)
			assert.Equal(t, "disk", sys.Restarts[0].Server)
			assert.Equal(t, "killed", sys.Restarts[0].Cause)
			for _, si := range sys.Kernel.Services() {
				if si.Name == diskproto.Name {
					assert.Equal(t, int64(1), si.Stats.Restarts)
					assert.Equal(t, int64(clients), si.Stats.Errors, "the four failed calls")
					assert.Zero(t, si.Stats.InFlight)
				}
			}
			st := sys.Disk.Stats()
			assert.Equal(t, int64(clients+1), st.Writes, "the write on the device at the kill completed, and again on retry")
			assert.Equal(t, int64(clients), st.Reads)
		})
	}
}

// instance returns the first live instance of the named service, or 0.
func instance(sys *boot.System, name string) ipc.Endpoint {
	for _, si := range sys.Kernel.Services() {
		if si.Name == name && len(si.Instances) > 0 {
			return si.Instances[0]
		}
	}
	return 0
}

// The same kill under a RAID 5 of four disks: the new instance waits for
// the members its predecessor left busy, and every write and read
// succeeds with the right data.
func TestRAIDDriverKilledMidQueue(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			cfg := boot.Default()
			cfg.Mode = mode
			cfg.Workload.Clients = 0
			cfg.Disk = &boot.DiskConf{IOSched: "fifo", Size: 16 << 20, Raid: &boot.RaidConf{Level: 5, Disks: 4}}
			sys, err := boot.Boot(cfg, nil)
			require.NoError(t, err)
			defer sys.Close()
			const clients = 4
			var died, done int
			got := make([][]byte, clients)
			for i := 0; i < clients; i++ {
				_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: fmt.Sprint("fs", i), Body: func(s ipc.Sys) {
					id, err := s.Lookup(diskproto.Name)
					assert.NoError(t, err)
					c := diskproto.Client{Sys: counting{Sys: s, died: &died}, Dst: ipc.ServiceEndpoint(id)}
					block := int64(i*4000 + 1)
					if !assert.NoError(t, c.WriteBlocks(block, 16, fill(byte(16*i), 16)), "client %d write", i) {
						return
					}
					got[i] = make([]byte, 16*4096)
					assert.NoError(t, c.ReadBlocks(block, 16, got[i]), "client %d read", i)
					done++
				}})
				require.NoError(t, err)
			}
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "killer", Body: func(s ipc.Sys) {
				s.Sleep(1_000_000) // the first write is on the members, three wait
				ep := instance(sys, diskproto.Name)
				assert.NotZero(t, ep, "a live disk driver")
				assert.NoError(t, s.Kill(ep))
			}})
			require.NoError(t, err)
			_, err = sys.Run()
			require.NoError(t, err)
			assert.Equal(t, clients, done, "every client finished")
			assert.Equal(t, clients, died, "all four calls the driver held failed once and were retried")
			for i := range got {
				assert.Equal(t, fill(byte(16*i), 16), got[i], "client %d read back its write", i)
			}
			require.Len(t, sys.Restarts, 1)
		})
	}
}
