package ds_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/ds"
)

// TestSysKeysAreRootsToWrite: keys under dsproto.SysPrefix (pm's table)
// are read by anyone but put and deleted by root only; an ordinary user
// gets EPERM and changes nothing. Other keys are anyone's.
func TestSysKeysAreRootsToWrite(t *testing.T) {
	user := ipc.Cred{UID: 1000, GID: 1000}
	for _, p := range placements {
		t.Run(p.name, func(t *testing.T) {
			st := p.open(t)
			k := bootDS(t, ds.New(st, ds.Options{}), p.inKernel)
			var rootPut, userPut, userDel, userGet, userOther error
			var got string
			spawn(t, k, "root", func(sys ipc.Sys, c *dsproto.Client) {
				rootPut = c.Put("sys/pm/proc/1", []byte("root's"))
			})
			_, err := k.Spawn(ipc.TaskSpec{Name: "user", Cred: &user, Body: func(sys ipc.Sys) {
				c, err := dsproto.Dial(sys)
				if !assert.NoError(t, err, "Dial") {
					return
				}
				_ = sys.Sleep(1_000_000) // after root's put
				userPut = c.Put("sys/pm/proc/1", []byte("forged"))
				userDel = c.Delete("sys/pm/proc/1")
				var v []byte
				v, userGet = c.Get("sys/pm/proc/1")
				got = string(v)
				userOther = c.Put("home/x", []byte("mine"))
			}})
			require.NoError(t, err)
			run(t, k)
			assert.NoError(t, rootPut, "root's Put(sys/...)")
			assert.Equal(t, linux.EPERM, errnoOf(userPut), "a user's Put(sys/...)")
			assert.Equal(t, linux.EPERM, errnoOf(userDel), "a user's Delete(sys/...)")
			assert.NoError(t, userGet, "a user's Get(sys/...)")
			assert.Equal(t, "root's", got, "Get(sys/pm/proc/1) after the user's tries")
			assert.NoError(t, userOther, "a user's Put(home/x)")
		})
	}
}
