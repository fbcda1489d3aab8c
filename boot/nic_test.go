package boot_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	nichw "github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
)

func TestNICSection(t *testing.T) {
	cfg, err := boot.Parse([]byte("nic:\n  mac: 02:00:00:00:00:07\n  mtu: 9000\n  speed: 10000000000\n  rx_ring: 64\n  loopback: true\n"))
	require.NoError(t, err)
	assert.Equal(t, &boot.NICConf{MAC: "02:00:00:00:00:07", MTU: 9000, Speed: 10_000_000_000, RxRing: 64, Loopback: true}, cfg.NIC)
	assert.Nil(t, boot.Default().NIC, "the default system has no card")

	for _, c := range []struct{ yaml, want string }{
		{"servers:\n  - name: nic\n", `servers[0].name: "nic" needs a nic: section`},
		{"nic: {}\nservers:\n  - name: nic\n    instances: 2\n", "servers[0].instances: 2 NIC drivers"},
		{"nic:\n  mac: 02:00:00\n", "nic.mac"},
		{"nic:\n  mac: ff:ff:ff:ff:ff:ff\n", "group address"},
		{"nic:\n  mtu: 20\n", "MTU 20"},
		{"nic:\n  rx_ring: -1\n", "receive ring"},
		{"nic:\n  speed: 5\n", "speed 5"},
		{"nic:\n  wire: x\n", "nic.wire"},
	} {
		_, err := boot.Parse([]byte(c.yaml))
		if assert.Error(t, err, c.yaml) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}

// In every mode a nic: section attaches the card and places its driver,
// which answers net (and refuses a program).
func TestNICInEveryMode(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Mono, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			cfg := boot.Default()
			cfg.Mode = mode
			cfg.Workload.Clients = 0
			cfg.NIC = &boot.NICConf{MAC: "02:00:00:00:00:07", Loopback: true}
			sys, err := boot.Boot(cfg, nil)
			require.NoError(t, err)
			defer sys.Close()
			require.NotNil(t, sys.NIC)
			var card nicproto.Card
			var infoErr, userErr error
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "net", Body: func(s ipc.Sys) {
				dst, err := ipc.Dial(s, nicproto.Name)
				if assert.NoError(t, err) {
					card, infoErr = nicproto.Client{Sys: s, Dst: dst}.Info()
				}
			}})
			require.NoError(t, err)
			user := ipc.UserPriv()
			_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "program", Priv: &user, Body: func(s ipc.Sys) {
				dst, _ := ipc.Dial(s, nicproto.Name)
				_, userErr = nicproto.Client{Sys: s, Dst: dst}.Info()
			}})
			require.NoError(t, err)
			_, err = sys.Run()
			require.NoError(t, err)
			assert.NoError(t, infoErr)
			assert.Equal(t, nichw.MAC{2, 0, 0, 0, 0, 7}, nichw.MAC(card.MAC))
			assert.Equal(t, 1500, card.MTU)
			assert.ErrorIs(t, userErr, ipc.ErrPerm, "a program may not call the driver")
		})
	}
}
