package mm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
)

// A task killed while it maps a shared segment alone: mm forgets it at
// once, so its pages no longer count as resident, and the segment dies
// with it: a later mapping of the same id starts empty. (Before mm heard
// of deaths, it found a dead task only when its spaces had doubled, and
// counted the dead task's pages as resident until then.)
func TestKilledTaskIsForgottenAtOnce(t *testing.T) {
	for _, inKernel := range []bool{false, true} {
		name := map[bool]string{false: "user space", true: "in kernel"}[inKernel]
		t.Run(name, func(t *testing.T) {
			s := bootMM(t, inKernel, mm.Options{}, kernel.MemConfig{})
			const id, pages = 9, 4
			ready := false
			victim := s.spawn(t, "victim", func(sys ipc.Sys) {
				base, err := client(t, sys).Mmap(0, pages*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous|mmproto.MapShared, id)
				assert.NoError(t, err)
				touchAll(t, sys, base, pages)
				ready = true
				sys.Sleep(1 << 50)
			})
			var before, after mmproto.Stats
			got := []byte("unread")
			s.spawn(t, "next", func(sys ipc.Sys) {
				for !ready {
					sys.Sleep(1000)
				}
				c := client(t, sys)
				before, _ = c.Stats()
				assert.NoError(t, sys.Kill(victim))
				sys.Sleep(1000)
				after, _ = c.Stats()
				base, err := c.Mmap(0, ipc.PageSize, ipc.ProtRead, mmproto.MapAnonymous|mmproto.MapShared, id)
				assert.NoError(t, err)
				got = make([]byte, len(pattern(0)))
				assert.NoError(t, sys.Load(base, got))
			})
			s.run(t)
			assert.Equal(t, pages, before.Resident, "Resident before the kill")
			assert.Equal(t, 0, after.Resident, "Resident after the kill")
			assert.Equal(t, make([]byte, len(pattern(0))), got, "a new mapping of the dead task's segment id")
		})
	}
}
