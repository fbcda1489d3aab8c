package hostile_test

// Hostile programs against memory, in a booted system with the real mm,
// in every mode: a program that attaches another user's shared segment by
// its id, and a check that the real pager lives within the kernel's frame
// owner rule (no task's private frame is mapped into another task). The
// hostile pager itself (a pager that gives one task's frame to another, or
// answers a fault without mapping) is in kernel/mmu_owner_test.go, where a
// test can be the pager. Bodies use assert, never require: a body runs on
// its own coroutine.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
)

// bootMM boots mode with mm as the only server, which keeps at most
// resident pages in memory (0: no limit).
func bootMM(t *testing.T, mode boot.Mode, resident int) *boot.System {
	t.Helper()
	cfg := boot.Default()
	cfg.Memory.Resident = resident
	cfg.Mode = mode
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = 0
	cfg.Servers = []boot.ServerConf{{Name: mmproto.Name}}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	return sys
}

// spawnAs starts body as a program with credentials c.
func spawnAs(t *testing.T, sys *boot.System, name string, c ipc.Cred, body func(ipc.Sys)) {
	t.Helper()
	_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: name, Cred: &c, Body: body})
	require.NoError(t, err)
}

// errnoOf returns err's errno, or nil.
func errnoOf(err error) error {
	if err == nil {
		return nil
	}
	return ipc.ErrnoOf(err)
}

// TestSharedSegmentOfAnotherUser: a victim (uid 1000) keeps a secret in
// shared segment 77 with the mode given; a program of another user, or of
// the same one, attaches id 77 read-write, reads it and overwrites it.
// Before segments had an owner and a mode, any program could.
func TestSharedSegmentOfAnotherUser(t *testing.T) {
	victim := ipc.Cred{UID: 1000, GID: 1000}
	cases := []struct {
		name     string
		mode     uint32
		attacker ipc.Cred
		want     error
	}{
		{"other user, default mode", 0, ipc.Cred{UID: 2000, GID: 2000}, linux.EACCES},
		{"other user, same group, 0660", 0o660, ipc.Cred{UID: 2000, GID: 1000}, nil},
		{"other user, 0666", 0o666, ipc.Cred{UID: 2000, GID: 2000}, nil},
		{"same user, 0600", 0o600, ipc.Cred{UID: 1000, GID: 2000}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range boot.Modes {
				t.Run(string(mode), func(t *testing.T) {
					sys := bootMM(t, mode, 0)
					ready := false
					after := make([]byte, 6)
					spawnAs(t, sys, "victim", victim, func(s ipc.Sys) {
						mc, err := mmproto.Dial(s)
						assert.NoError(t, err)
						base, err := mc.MmapShared(0, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, 0, 77, tc.mode)
						if !assert.NoError(t, err) {
							return
						}
						assert.NoError(t, s.Store(base, []byte("secret")))
						ready = true
						s.Sleep(20_000_000) // the attacker tries
						assert.NoError(t, s.Load(base, after))
					})
					var attach error
					got := make([]byte, 6)
					spawnAs(t, sys, "attacker", tc.attacker, func(s ipc.Sys) {
						for !ready {
							s.Sleep(1_000_000)
						}
						mc, err := mmproto.Dial(s)
						assert.NoError(t, err)
						var base uint64
						if base, attach = mc.MmapShared(0, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, 0, 77, 0o666); attach != nil {
							_, ro := mc.MmapShared(0, ipc.PageSize, ipc.ProtRead, 0, 77, 0o666)
							assert.Equal(t, tc.want, errnoOf(ro), "read-only attach")
							return
						}
						assert.NoError(t, s.Load(base, got))
						assert.NoError(t, s.Store(base, []byte("0wned!")))
					})
					_, err := sys.Run()
					require.NoError(t, err)
					require.NoError(t, sys.Close())
					assert.Equal(t, tc.want, errnoOf(attach), "read-write attach")
					if tc.want != nil {
						assert.Equal(t, make([]byte, 6), got, "the attacker read nothing")
						assert.Equal(t, "secret", string(after), "the victim's segment is untouched")
						return
					}
					assert.Equal(t, "secret", string(got))
					assert.Equal(t, "0wned!", string(after), "a permitted attach shares the pages")
				})
			}
		})
	}
}

// TestPagerKeepsPrivateFramesPrivate: with the real mm and a small
// resident limit (evictions, swap-ins), private heaps and a shared
// segment in several tasks: mm never asks the kernel for a mapping the
// frame owner rule refuses, and no frame is mapped twice unless shared.
func TestPagerKeepsPrivateFramesPrivate(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			sys := bootMM(t, mode, 6)
			var frames []ipc.FrameInfo
			done := 0
			for i := range 3 {
				spawnAs(t, sys, "worker", ipc.Cred{UID: 1000, GID: 1000}, func(s ipc.Sys) {
					mc, err := mmproto.Dial(s)
					assert.NoError(t, err)
					heap, err := mc.Mmap(0, 4*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
					assert.NoError(t, err)
					shm, err := mc.MmapShared(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, 0, 5, 0)
					assert.NoError(t, err)
					for round := range 3 {
						for p := range 4 {
							assert.NoError(t, s.Store(heap+uint64(p)*ipc.PageSize, []byte{byte(i), byte(round)}))
						}
						assert.NoError(t, s.Store(shm+uint64(round%2)*ipc.PageSize, []byte{byte(i)}))
						s.Sleep(1_000_000)
					}
					if done++; done == 3 {
						frames = sys.Kernel.FrameTable()
					}
					s.Sleep(1_000_000)
				})
			}
			_, err := sys.Run()
			require.NoError(t, err)
			require.NoError(t, sys.Close())
			require.NotEmpty(t, frames)
			shared := 0
			for _, f := range frames {
				if f.Mappings > 1 {
					assert.NotZero(t, f.Share, "frame %d is mapped %d times but not shared", f.Frame, f.Mappings)
				}
				if f.Mappings > 0 && f.Share == 0 {
					assert.Equal(t, f.Owner, f.Task, "private frame %d is mapped by a task that does not own it", f.Frame)
				}
				if f.Share != 0 {
					shared++
				}
			}
			assert.Positive(t, shared, "the segment's pages are shared frames")
			assert.Greater(t, sys.Kernel.Stats().PageFaults, int64(3*6), "pages came back after evictions")
			assert.Zero(t, sys.Kernel.Stats().Denied, "mm asked for nothing the kernel refuses")
		})
	}
}
