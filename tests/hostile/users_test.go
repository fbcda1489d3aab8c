package hostile_test

// Users and permissions, attacked by a program that uses nothing but ipc
// and the protocol stubs: it runs as an ordinary user (uid 1000) and
// writes root's uid wherever a message has room for it. The file server
// reads who the caller is from the kernel, pm changes credentials only for
// root, and a signal needs the sender's uid: every attack gets EACCES or
// EPERM, in every placement.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
	sysinit "github.com/mkos/mkos/user/init"
)

// usersBoot boots user space in mode with a fresh root file system and
// init (root) running sh -c script.
func usersBoot(t *testing.T, mode boot.Mode, script string) (*boot.System, *boot.InitRun) {
	t.Helper()
	cfg := boot.UserSpace(boot.Default())
	cfg.Mode = mode
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	t.Cleanup(func() { sys.Close() })
	require.NoError(t, sys.FormatDisk())
	run, err := sys.StartInit(sysinit.Options{Argv: []string{"sh", "-c", script}}, nil)
	require.NoError(t, err)
	return sys, run
}

// usersModes are the placements the attacks run against.
var usersModes = []boot.Mode{boot.Micro, boot.Mono, boot.Hybrid}

// ordinary is the attacker's credentials.
var ordinary = ipc.Cred{UID: 1000, GID: 1000}

// withPath makes a request of type ty naming path, with words set.
func withPath(ty ipc.Type, path string, words map[int]uint64) (ipc.Message, *ipc.Extra) {
	m := ipc.Message{Type: ty}
	for i, w := range words {
		m.SetWord(i, w)
	}
	m.SetWord(fsproto.PathWord, uint64(len(path)))
	return m, &ipc.Extra{Send: []byte(path)}
}

func TestUserCannotClaimRootToTheFileServer(t *testing.T) {
	cases := []struct {
		name  string
		ty    ipc.Type
		path  string
		words map[int]uint64
		want  error
	}{
		// Open's spare words (W2–W4) hold root's uid and gid: nothing reads them.
		{"open /etc/passwd for writing, uid 0 in the spare words", fsproto.Open, "/etc/passwd",
			map[int]uint64{0: linux.O_WRONLY, 2: 0, 3: 0, 4: 0}, linux.EACCES},
		{"create in root's 0700 /root", fsproto.Open, "/root/mine",
			map[int]uint64{0: linux.O_CREAT | linux.O_WRONLY, 1: 0o644}, linux.EACCES},
		{"access as root", fsproto.Access, "/root", map[int]uint64{0: fsproto.AccessX, 1: 1, 2: 0, 3: 0}, linux.EPERM},
		{"chown root's file to oneself", fsproto.Chown, "/etc/passwd", map[int]uint64{0: 1000, 1: 1000}, linux.EPERM},
		{"chmod root's file", fsproto.Chmod, "/etc/passwd", map[int]uint64{0: 0o666}, linux.EPERM},
		{"unlink root's file", fsproto.Unlink, "/etc/group", nil, linux.EACCES},
		{"mkdir in /", fsproto.Mkdir, "/evil", map[int]uint64{0: 0o777}, linux.EACCES},
	}
	for _, mode := range usersModes {
		t.Run(string(mode), func(t *testing.T) {
			sys, run := usersBoot(t, mode, "sleep 0.01")
			got := make([]error, len(cases))
			_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "hostile", Cred: &ordinary, Body: func(s ipc.Sys) {
				dst, err := ipc.Dial(s, fsproto.Name)
				if err != nil {
					return
				}
				for i, c := range cases {
					m, x := withPath(c.ty, c.path, c.words)
					_, got[i] = ipc.Do(s, dst, &m, x, fsproto.Errnos)
				}
			}})
			require.NoError(t, err)
			require.NoError(t, sys.Kernel.Run())
			assert.Equal(t, 0, run.Status)
			for i, c := range cases {
				assert.ErrorIs(t, got[i], c.want, "%s: Do() = %v, want %v", c.name, got[i], c.want)
			}
		})
	}
}

func TestUserCannotBecomeRootOrSignalRoot(t *testing.T) {
	for _, mode := range usersModes {
		t.Run(string(mode), func(t *testing.T) {
			// init (pid 1) and its shell (pid 2) are root's; the shell
			// outlives the attack and then exits 0.
			sys, run := usersBoot(t, mode, "sleep 0.02")
			var setcred, rawSetcred, killInit, killShell, killAll error
			var after ipc.Cred
			userPriv := ipc.UserPriv() // what pm gives a program
			_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "hostile", Cred: &ordinary, Priv: &userPriv, Body: func(s ipc.Sys) {
				_ = s.Sleep(5_000_000) // init and the shell are up
				rawSetcred = s.SetCred(s.Self(), ipc.Root)
				pm, err := pmproto.Dial(s)
				if err != nil {
					return
				}
				setcred = pm.Setcred(ipc.Root)
				after, _ = s.Cred(s.Self())
				killInit = pm.Kill(1, linux.SIGKILL)
				killShell = pm.Kill(2, linux.SIGKILL)
				killAll = pm.Kill(-1, linux.SIGKILL) // every process but init and the caller
			}})
			require.NoError(t, err)
			require.NoError(t, sys.Kernel.Run())
			assert.ErrorIs(t, setcred, linux.EPERM, "Setcred(root) by a user")
			assert.ErrorIs(t, rawSetcred, linux.EPERM, "Sys.SetCred(self, root) by a program with the user record")
			assert.Equal(t, ordinary, after, "the user's credentials after its Setcred(root)")
			assert.ErrorIs(t, killInit, linux.EPERM, "Kill(init) by a user")
			assert.ErrorIs(t, killShell, linux.EPERM, "Kill(root's shell) by a user")
			assert.ErrorIs(t, killAll, linux.EPERM, "Kill(-1) by a user with no process of its own")
			assert.Equal(t, 0, run.Status, "the shell ran to its end")
		})
	}
}
