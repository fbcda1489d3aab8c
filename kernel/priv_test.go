package kernel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// denyLog keeps the details of EvDeny events.
type denyLog []string

func (d *denyLog) Event(e *kernel.Event) {
	if e.Kind == kernel.EvDeny {
		*d = append(*d, e.Detail)
	}
}

// notifier is a server placed in the kernel with a kernel thread.
type notifier struct{ answer }

func (notifier) Notified(*ipc.Ctx, uint64) {}

func TestPrivilegedCallsAreChecked(t *testing.T) {
	var log denyLog
	k, err := kernel.New(kernel.Config{Trace: &log})
	require.NoError(t, err)
	_, err = k.Declare("fs")
	require.NoError(t, err)
	_, err = k.Place("drv", notifier{})
	require.NoError(t, err)
	var kthread ipc.Endpoint
	for _, tk := range k.Tasks() {
		if tk.KernelThread() {
			kthread = tk.Endpoint()
		}
	}
	require.NotZero(t, kthread)
	user := ipc.UserPriv()
	mid := ipc.Priv{Name: "mid", Calls: ipc.KSpawn | ipc.KKill, Register: []string{ipc.AnyName}, Services: []string{ipc.AnyName}}
	var errs = map[string]error{}
	_, err = k.Spawn(ipc.TaskSpec{Name: "user", Priv: &user, Body: func(sys ipc.Sys) {
		_, errs["register fs"] = sys.Register("fs")
		_, errs["spawn"] = sys.Spawn(ipc.TaskSpec{Name: "x", Body: func(ipc.Sys) {}})
		errs["supervise"] = sys.Supervise()
		errs["inject"] = sys.Inject("drv", ipc.InjectCrash, 0)
		_, errs["device"] = sys.Device("nodev")
		errs["vm"] = sys.VM(&ipc.VMRequest{Op: ipc.VMFrames})
	}})
	require.NoError(t, err)
	_, err = k.Spawn(ipc.TaskSpec{Name: "mid", Prio: 4, Priv: &mid, Body: func(sys ipc.Sys) {
		_, errs["mid register mine"] = sys.Register("mine")
		_, errs["mid register fs"] = sys.Register("fs")
		errs["mid kill kthread"] = sys.Kill(kthread)
		more := mid
		more.Calls |= ipc.KSupervise
		_, errs["mid spawn more"] = sys.Spawn(ipc.TaskSpec{Name: "more", Prio: 4, Priv: &more, Body: func(ipc.Sys) {}})
		_, errs["mid spawn higher prio"] = sys.Spawn(ipc.TaskSpec{Name: "hi", Prio: 1, Body: func(ipc.Sys) {}})
		_, errs["mid spawn less"] = sys.Spawn(ipc.TaskSpec{Name: "less", Prio: 5, Priv: &user, Body: func(ipc.Sys) {}})
	}})
	require.NoError(t, err)
	require.NoError(t, k.Run())
	for call, want := range map[string]error{
		"register fs": ipc.ErrPerm, "spawn": ipc.ErrPerm, "supervise": ipc.ErrPerm, "inject": ipc.ErrPerm,
		"device": ipc.ErrPerm, "vm": ipc.ErrPerm,
		"mid register mine": nil, "mid register fs": ipc.ErrPerm, "mid kill kthread": ipc.ErrPerm,
		"mid spawn more": ipc.ErrPerm, "mid spawn higher prio": ipc.ErrPerm, "mid spawn less": nil,
	} {
		if want == nil {
			assert.NoError(t, errs[call], call)
		} else {
			assert.ErrorIs(t, errs[call], want, call)
		}
	}
	assert.Contains(t, log, "register fs")
	assert.Contains(t, log, "spawn more with calls supervise")
	assert.Contains(t, log, "kill k:drv (a kernel thread)")
	assert.Equal(t, int64(len(log)), k.Stats().Denied)
}

func TestRestrictedServiceAdmitsItsCallers(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	require.NoError(t, k.Restrict("disk", []string{"fs"}))
	_, err = k.Spawn(ipc.TaskSpec{Name: "disk", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, "disk", answer{}) }})
	require.NoError(t, err)
	got := map[string]error{}
	for _, p := range []ipc.Priv{
		{Name: "fs", Services: []string{ipc.AnyName}},
		{Name: "user", Services: []string{ipc.AnyName}},
		{Name: "rs", Calls: ipc.KSupervise, Services: []string{ipc.AnyName}},
		{Name: "fs-but-not-disk", Services: []string{"fs"}},
	} {
		p := p
		_, err = k.Spawn(ipc.TaskSpec{Name: p.Name, Priv: &p, Body: func(sys ipc.Sys) {
			dst, _ := ipc.Dial(sys, "disk")
			var req, rep ipc.Message
			req.Type = 1
			got[p.Name] = sys.Call(dst, &req, &rep)
		}})
		require.NoError(t, err)
	}
	require.NoError(t, k.Run())
	assert.NoError(t, got["fs"])
	assert.NoError(t, got["rs"], "the supervisor pings every service")
	assert.ErrorIs(t, got["user"], ipc.ErrPerm)
	assert.ErrorIs(t, got["fs-but-not-disk"], ipc.ErrPerm, "its own list does not name disk")
}

func TestCredentialsAreInheritedAndSetByPrivilege(t *testing.T) {
	k, err := kernel.New(kernel.Config{})
	require.NoError(t, err)
	user := ipc.UserPriv()
	user.Calls = ipc.KSpawn
	alice := ipc.Cred{UID: 1000, GID: 100}
	var child, forged ipc.Cred
	var setErr, spawnErr error
	_, err = k.Spawn(ipc.TaskSpec{Name: "alice", Priv: &user, Cred: &alice, Body: func(sys ipc.Sys) {
		_, _ = sys.Spawn(ipc.TaskSpec{Name: "kid", Body: func(sys ipc.Sys) {
			child, _ = sys.Cred(sys.Self())
		}})
		_ = sys.Sleep(1000)
		setErr = sys.SetCred(sys.Self(), ipc.Root)
		root := ipc.Root
		_, spawnErr = sys.Spawn(ipc.TaskSpec{Name: "root", Cred: &root, Body: func(ipc.Sys) {}})
		forged, _ = sys.Cred(sys.Self())
	}})
	require.NoError(t, err)
	require.NoError(t, k.Run())
	assert.Equal(t, alice, child, "a child inherits its parent's credentials")
	assert.ErrorIs(t, setErr, ipc.ErrPerm)
	assert.ErrorIs(t, spawnErr, ipc.ErrPerm)
	assert.Equal(t, alice, forged)
}
