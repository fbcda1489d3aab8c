package mm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
)

var (
	alice   = ipc.Cred{UID: 1000, GID: 100}
	aliceB  = ipc.Cred{UID: 1000, GID: 300} // alice in another group
	bob     = ipc.Cred{UID: 2000, GID: 200}
	carol   = ipc.Cred{UID: 3000, GID: 100} // alice's group
	rootCrd = ipc.Root
)

// TestSharedSegmentOwnerAndMode: alice creates segment 7 with a mode and
// writes to it; a second task attaches it with other credentials. Before
// segments had owners, every attach succeeded.
func TestSharedSegmentOwnerAndMode(t *testing.T) {
	rw, ro := ipc.ProtRead|ipc.ProtWrite, ipc.ProtRead
	cases := []struct {
		name     string
		mode     uint32
		who      ipc.Cred
		prot     ipc.Prot
		want     error // the attach's
		wantProt error // then mprotect to read-write
	}{
		{"other uid, default mode", 0, bob, ro, linux.EACCES, nil},
		{"other uid, 0600", 0o600, bob, rw, linux.EACCES, nil},
		{"same uid, 0600", 0o600, aliceB, rw, nil, nil},
		{"other uid, 0666", 0o666, bob, rw, nil, nil},
		{"same group, 0640, read", 0o640, carol, ro, nil, linux.EACCES},
		{"same group, 0640, write", 0o640, carol, rw, linux.EACCES, nil},
		{"other uid, 0604, read", 0o604, bob, ro, nil, linux.EACCES},
		{"root, 0600", 0o600, rootCrd, rw, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			placements(t, func(t *testing.T, inKernel bool) {
				s := bootMM(t, inKernel, mm.Options{}, kernel.MemConfig{})
				created := false
				_, err := s.k.Spawn(ipc.TaskSpec{Name: "alice", Cred: &alice, Body: func(sys ipc.Sys) {
					base, err := client(t, sys).MmapShared(0, ipc.PageSize, rw, 0, 7, tc.mode)
					assert.NoError(t, err)
					assert.NoError(t, sys.Store(base, []byte("alice's")))
					created = true
					sys.Sleep(10_000_000)
				}})
				require.NoError(t, err)
				var attachErr, protErr error
				got := make([]byte, 7)
				_, err = s.k.Spawn(ipc.TaskSpec{Name: "other", Cred: &tc.who, Body: func(sys ipc.Sys) {
					for !created {
						sys.Sleep(100_000)
					}
					c := client(t, sys)
					var base uint64
					base, attachErr = c.MmapShared(0, ipc.PageSize, tc.prot, 0, 7, 0o666)
					if attachErr != nil {
						return
					}
					assert.NoError(t, sys.Load(base, got))
					protErr = c.Mprotect(base, ipc.PageSize, rw)
					if protErr == nil {
						assert.NoError(t, sys.Store(base, []byte("Other's")))
					}
				}})
				require.NoError(t, err)
				s.run(t)
				assert.Equal(t, tc.want, errnoOf(attachErr), "attach")
				if tc.want != nil {
					assert.Equal(t, make([]byte, 7), got, "nothing read")
					return
				}
				assert.Equal(t, "alice's", string(got))
				assert.Equal(t, tc.wantProt, errnoOf(protErr), "mprotect to read-write")
			})
		})
	}
}

// errnoOf returns err's errno, or nil.
func errnoOf(err error) error {
	if err == nil {
		return nil
	}
	return ipc.ErrnoOf(err)
}

// TestSharedSegmentModeChecks: the creator is held to its own mode, and
// a mode with more than permission bits is refused.
func TestSharedSegmentModeChecks(t *testing.T) {
	cases := []struct {
		name string
		mode uint32
		prot ipc.Prot
		want error
	}{
		{"read-only for its owner, mapped writable", 0o400, ipc.ProtRead | ipc.ProtWrite, linux.EACCES},
		{"read-only for its owner, mapped read-only", 0o400, ipc.ProtRead, nil},
		{"setuid bit", 0o4600, ipc.ProtRead, linux.EINVAL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
			var err error
			_, e := s.k.Spawn(ipc.TaskSpec{Name: "alice", Cred: &alice, Body: func(sys ipc.Sys) {
				_, err = client(t, sys).MmapShared(0, ipc.PageSize, tc.prot, 0, 3, tc.mode)
			}})
			require.NoError(t, e)
			s.run(t)
			assert.Equal(t, tc.want, errnoOf(err))
		})
	}
}

// TestSharedSegmentOwnerSurvivesRestart: a restarted mm still knows the
// segment's owner and mode (the stash keeps them).
func TestSharedSegmentOwnerSurvivesRestart(t *testing.T) {
	s := bootMM(t, false, mm.Options{}, kernel.MemConfig{})
	second := mm.NewWith(mm.Options{})
	restarted := false
	_, err := s.k.Spawn(ipc.TaskSpec{Name: "alice", Cred: &alice, Body: func(sys ipc.Sys) {
		base, err := client(t, sys).MmapShared(0, ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, 0, 5, 0o600)
		assert.NoError(t, err)
		assert.NoError(t, sys.Store(base, []byte("x")))
		sys.Sleep(10_000_000)
	}})
	require.NoError(t, err)
	s.spawn(t, "reincarnation", func(sys ipc.Sys) {
		sys.Sleep(1_000_000)
		assert.NoError(t, sys.Kill(s.mmTask))
		_, err := sys.Spawn(ipc.TaskSpec{Name: "mm2", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, mmproto.Name, second) }})
		assert.NoError(t, err)
		restarted = true
	})
	var bobErr, aliceErr error
	_, err = s.k.Spawn(ipc.TaskSpec{Name: "bob", Cred: &bob, Body: func(sys ipc.Sys) {
		sys.Sleep(2_000_000)
		_, bobErr = client(t, sys).MmapShared(0, ipc.PageSize, ipc.ProtRead, 0, 5, 0o666)
	}})
	require.NoError(t, err)
	_, err = s.k.Spawn(ipc.TaskSpec{Name: "alice2", Cred: &aliceB, Body: func(sys ipc.Sys) {
		sys.Sleep(2_000_000)
		_, aliceErr = client(t, sys).MmapShared(0, ipc.PageSize, ipc.ProtRead, 0, 5, 0)
	}})
	require.NoError(t, err)
	s.run(t)
	require.True(t, restarted)
	assert.Equal(t, linux.EACCES, errnoOf(bobErr), "bob, after the restart")
	assert.NoError(t, aliceErr, "alice, after the restart")
}

// TestStaleSharedFrameIsNotAnotherTasksPage: b keeps segment 9 attached
// but inaccessible (PROT_NONE) while a, the page's only mapper, exits: the
// kernel frees the frame, which c then gets for its private secret. When
// b makes the segment accessible again and touches the page, mm's stale
// frame number must not hand it c's page: the kernel refuses the map, and
// mm pages the segment's page in afresh.
func TestStaleSharedFrameIsNotAnotherTasksPage(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s := bootMM(t, inKernel, mm.Options{}, kernel.MemConfig{})
		rw := ipc.ProtRead | ipc.ProtWrite
		aDone, cDone := false, false
		s.spawn(t, "a", func(sys ipc.Sys) {
			base, err := client(t, sys).MmapShared(0, ipc.PageSize, rw, 0, 9, 0o666)
			assert.NoError(t, err)
			assert.NoError(t, sys.Store(base, []byte("a's page")))
			sys.Sleep(1_000_000)
			aDone = true
		})
		got := make([]byte, 8)
		var loadErr error
		s.spawn(t, "b", func(sys ipc.Sys) {
			sys.Sleep(500_000)
			c := client(t, sys)
			base, err := c.MmapShared(0, ipc.PageSize, rw, 0, 9, 0o666)
			assert.NoError(t, err)
			assert.NoError(t, c.Mprotect(base, ipc.PageSize, 0))
			for !cDone {
				sys.Sleep(500_000)
			}
			assert.NoError(t, c.Mprotect(base, ipc.PageSize, rw))
			loadErr = sys.Load(base, got)
		})
		s.spawn(t, "c", func(sys ipc.Sys) {
			for !aDone {
				sys.Sleep(500_000)
			}
			sys.Sleep(500_000)
			c := client(t, sys)
			base, err := c.Mmap(0, 4*ipc.PageSize, rw, mmproto.MapAnonymous, 0)
			assert.NoError(t, err)
			for i := range 4 {
				assert.NoError(t, sys.Store(base+uint64(i)*ipc.PageSize, []byte("c secret")))
			}
			cDone = true
			sys.Sleep(10_000_000)
		})
		s.run(t)
		assert.NoError(t, loadErr)
		assert.NotEqual(t, "c secret", string(got), "b reads c's private page")
		assert.Equal(t, make([]byte, 8), got, "a's page went with its frame")
		_, died := s.death("b")
		assert.True(t, died)
		for _, d := range s.deaths {
			if d.Name == "b" {
				assert.NotContains(t, d.Cause, "segmentation fault")
			}
		}
	})
}
