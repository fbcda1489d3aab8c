package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// bitsServer records the notification bits it takes.
type bitsServer struct {
	answer
	got *[]uint64
}

func (b bitsServer) Notified(_ *ipc.Ctx, bits uint64) { *b.got = append(*b.got, bits) }

// TestNotifyService: a task with KNotify notifies a service by its
// endpoint; its instance — one that registers later, or a kernel thread —
// gets the bits; without KNotify, or without the right to call the
// service, the notification is refused.
func TestNotifyService(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	var task, placed []uint64
	_, err = k.Declare("net")
	require.NoError(t, err)
	_, err = k.Place("inkernel", bitsServer{got: &placed})
	require.NoError(t, err)
	drv := ipc.Priv{Name: "nic", Calls: ipc.KNotify, Services: []string{"net", "inkernel"}}
	narrow := ipc.Priv{Name: "narrow", Calls: ipc.KNotify, Services: []string{"inkernel"}}
	user := ipc.UserPriv()
	errs := map[string]error{}
	notify := func(name, svc string, bits uint64) func(sys ipc.Sys) {
		return func(sys ipc.Sys) {
			id, err := sys.Lookup(svc)
			require.NoError(t, err)
			errs[name] = sys.Notify(ipc.ServiceEndpoint(id), bits)
		}
	}
	for _, s := range []struct {
		name, svc string
		priv      *ipc.Priv
		bits      uint64
	}{
		{"driver to net before it registers", "net", &drv, 1},
		{"driver to the kernel thread", "inkernel", &drv, 4},
		{"driver asks whether net exists", "net", &drv, 0},
		{"user", "net", &user, 2},
		{"narrow to net", "net", &narrow, 8},
	} {
		_, err = k.Spawn(ipc.TaskSpec{Name: s.name, Priv: s.priv, Body: notify(s.name, s.svc, s.bits)})
		require.NoError(t, err)
	}
	_, err = k.Spawn(ipc.TaskSpec{Name: "net", Prio: 5, Body: func(sys ipc.Sys) {
		_, err := sys.Register("net")
		require.NoError(t, err)
		var m ipc.Message
		require.NoError(t, sys.Receive(ipc.Any, &m))
		if m.Type == ipc.Notification {
			task = append(task, m.Word(0))
		}
	}})
	require.NoError(t, err)
	require.NoError(t, k.Run())
	assert.Equal(t, map[string]error{
		"driver to net before it registers": nil, "driver to the kernel thread": nil, "driver asks whether net exists": nil,
		"user": ipc.ErrPerm, "narrow to net": ipc.ErrPerm,
	}, errs)
	assert.Equal(t, []uint64{1}, task, "the instance that registered later got the bits")
	assert.Equal(t, []uint64{4}, placed)
}
