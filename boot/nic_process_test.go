//go:build linux

package boot_test

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
)

// The NIC driver runs in a host process as it does in a task: frames go
// out through the proxy's DevStart and come back through the loopback
// card, net is notified and reads them.
func TestProcessNICDriver(t *testing.T) {
	cfg := boot.Default()
	cfg.Mode = boot.Hybrid
	cfg.Workload.Clients = 0
	cfg.NIC = &boot.NICConf{Loopback: true}
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: nicproto.Name, Placement: boot.IsolationProcess})
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	defer sys.Close()
	const n = 10
	var got []uint32
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "net", Body: func(s ipc.Sys) {
		_, err := s.Register(nicproto.NotifyService)
		assert.NoError(t, err)
		dst, _ := ipc.Dial(s, nicproto.Name)
		c := nicproto.Client{Sys: s, Dst: dst}
		mac := sys.NIC.MAC()
		for i := range n {
			f := make([]byte, 60)
			copy(f, mac[:])
			copy(f[6:], mac[:])
			binary.BigEndian.PutUint32(f[14:], uint32(i))
			assert.NoError(t, c.Send(f))
		}
		buf := make([]byte, ipc.MaxBulk)
		for len(got) < n {
			frames, err := c.Recv(buf, 0)
			if err != nil {
				var m ipc.Message
				if !assert.NoError(t, s.Receive(ipc.Any, &m)) {
					return
				}
				continue
			}
			for _, f := range frames {
				got = append(got, binary.BigEndian.Uint32(f[14:]))
			}
		}
	}})
	require.NoError(t, err)
	_, err = sys.Run()
	require.NoError(t, err)
	assert.Equal(t, []uint32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got)
	assert.NotZero(t, sys.HostPID(nicproto.Name), "HostPID(nic)")
}
