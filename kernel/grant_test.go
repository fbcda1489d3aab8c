package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel"
)

// A grant/revoke loop reuses one slot: the grant table stays bounded,
// however many times it runs (it grew by one slot per grant before).
func TestGrantRevokeLoopStaysBounded(t *testing.T) {
	const loops = 100_000
	k := boot(t, kernel.Config{})
	var self ipc.Endpoint
	var failed error
	var size int
	spawn(t, k, "looper", func(sys ipc.Sys) {
		self = sys.Self()
		for i := 0; i < loops && failed == nil; i++ {
			g, err := sys.Grant(self, 0x1000, 16, ipc.ProtRead)
			if err != nil {
				failed = err
				break
			}
			failed = sys.Revoke(g)
		}
		size = k.Grants(self)
	})
	run(t, k)
	require.NoError(t, failed)
	assert.Equal(t, 1, size, "Grants() after %d grant/revoke loops", loops)
}

// A task may hold at most MaxGrants live grants; a revoked slot is reused
// under a new id, and the old id names nothing.
func TestGrantTableLimitAndReuse(t *testing.T) {
	k := boot(t, kernel.Config{})
	var over, stale, reused, afterReuse error
	var first, second ipc.GrantID
	spawn(t, k, "hoarder", func(sys ipc.Sys) {
		self := sys.Self()
		var ids []ipc.GrantID
		for range kernel.MaxGrants {
			g, err := sys.Grant(self, 0x1000, 16, ipc.ProtRead)
			require.NoError(t, err)
			ids = append(ids, g)
		}
		_, over = sys.Grant(self, 0x1000, 16, ipc.ProtRead)
		first = ids[7]
		require.NoError(t, sys.Revoke(first))
		second, reused = sys.Grant(self, 0x1000, 16, ipc.ProtRead)
		stale = sys.Revoke(first)
		_, afterReuse = sys.GrantCopy(self, first, 0, make([]byte, 1), false)
	})
	run(t, k)
	assert.ErrorIs(t, over, linux.ENOSPC, "Grant() beyond MaxGrants")
	require.NoError(t, reused)
	assert.NotEqual(t, first, second, "a reused slot gets a new id")
	assert.ErrorIs(t, stale, ipc.ErrInvalid, "Revoke() of an id whose slot was reused")
	assert.ErrorIs(t, afterReuse, ipc.ErrPerm, "GrantCopy() through an id whose slot was reused")
}

// Grants to a task that has died are dropped when the table is full: a
// task that granted MaxGrants to short-lived helpers can grant again.
func TestGrantsToTheDeadAreDropped(t *testing.T) {
	k := boot(t, kernel.Config{})
	helper := spawn(t, k, "helper", func(sys ipc.Sys) { sys.Sleep(1000) })
	var filled, after error
	spawn(t, k, "granter", func(sys ipc.Sys) {
		for range kernel.MaxGrants {
			if _, filled = sys.Grant(helper, 0x1000, 16, ipc.ProtRead); filled != nil {
				return
			}
		}
		sys.Sleep(10_000) // the helper dies
		_, after = sys.Grant(sys.Self(), 0x1000, 16, ipc.ProtRead)
	})
	run(t, k)
	require.NoError(t, filled)
	assert.NoError(t, after, "Grant() with a full table of grants to a dead task")
}
