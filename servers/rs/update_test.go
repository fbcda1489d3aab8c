package rs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/servers/echo"
)

// panicky is a new version of echo whose Restore panics: its instance
// dies while it takes the state.
type panicky struct{ echo.Server }

func (*panicky) Restore(int, []byte) error { panic("echo-panicky: cannot restore") }

func init() {
	boot.Servers["echo-panicky"] = func(*boot.Config) ipc.Server { return &panicky{} }
	boot.Variants["echo-panicky"] = echoproto.Name
}

// An update that fails is rolled back, whichever step fails: the old
// instance serves on with its state (echo's count goes on from where it
// was), the new one is gone, and the log says why.
func TestUpdateRollsBack(t *testing.T) {
	tests := []struct {
		name string
		impl string
		kill bool // a task kills the new instance during its trial
		why  string
	}{
		{"the new instance refuses the state", "echo-faulty", false, "refused the state: echo-faulty: state v1, this code reads v2 only"},
		{"the new instance dies taking the state", "echo-panicky", false, "refused the state"},
		{"the new instance dies in its trial", "", true, "died in its trial"},
	}
	for _, mode := range userModes {
		for _, tt := range tests {
			t.Run(string(mode)+"/"+tt.name, func(t *testing.T) {
				cfg := config(mode, boot.ServerConf{Name: "echo", Placement: "user"})
				var r rsproto.UpdateResult
				var before, after uint64
				var updErr error
				var log []rsproto.LogEntry
				s, err := boot.Boot(cfg, nil)
				require.NoError(t, err)
				defer s.Close()
				_, err = s.Kernel.Spawn(ipc.TaskSpec{Name: "test", Body: func(sys ipc.Sys) {
					dst := dial(t, sys, "echo")
					for range 5 {
						_, err := echoproto.Call(sys, dst, []byte("x"), make([]byte, 1))
						assert.NoError(t, err)
					}
					before, _ = echoproto.Served(sys, dst)
					old := instances(s, "echo")
					if tt.kill {
						_, err := sys.Spawn(ipc.TaskSpec{Name: "killer", Body: func(sys ipc.Sys) {
							for i := 0; i < 1000; i++ {
								if eps := instances(s, "echo"); len(eps) == 2 {
									assert.NoError(t, sys.Kill(eps[1]))
									return
								}
								_ = sys.Sleep(1_000)
							}
						}})
						assert.NoError(t, err)
					}
					c, _ := rsproto.Dial(sys)
					r, updErr = c.Update("echo", tt.impl)
					after, _ = echoproto.Served(sys, dst)
					assert.Equal(t, old, instances(s, "echo"), "the instances after the rollback")
					log = rsLog(t, sys)
				}})
				require.NoError(t, err)
				_, err = s.Run()
				require.NoError(t, err)
				require.NoError(t, updErr)
				assert.Equal(t, rsproto.RolledBack, r.How)
				assert.Equal(t, before, uint64(5))
				assert.Equal(t, before, after, "echo's count after the rollback")
				require.NotEmpty(t, log)
				assert.Contains(t, log[len(log)-1].Cause, "rolled back")
				assert.Contains(t, log[len(log)-1].Cause, tt.why)
			})
		}
	}
}

// Who may update what: root only; a managed service only; rs is never
// updated; an implementation must exist and speak the protocol.
func TestUpdateRefusals(t *testing.T) {
	user := ipc.Cred{UID: 1000, GID: 1000}
	tests := []struct {
		name, service, impl string
		cred                *ipc.Cred
		want                ipc.Errno
	}{
		{"an ordinary user", "echo", "", &user, linux.EPERM},
		{"rs itself", "rs", "", nil, linux.EPERM},
		{"a service placed in the kernel", "null", "", nil, linux.EPERM},
		{"no such service", "ftp", "", nil, linux.ENOENT},
		{"no such implementation", "echo", "echo9", nil, linux.ENOENT},
		{"another protocol", "echo", "null", nil, linux.EINVAL},
		{"a name too long", "echo", "an-implementation-name-too-long", nil, linux.EINVAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config(boot.Hybrid, boot.ServerConf{Name: "echo", Placement: "user"}, boot.ServerConf{Name: "null", Placement: "kernel"})
			var err error
			s, err2 := boot.Boot(cfg, nil)
			require.NoError(t, err2)
			defer s.Close()
			_, err2 = s.Kernel.Spawn(ipc.TaskSpec{Name: "test", Cred: tt.cred, Body: func(sys ipc.Sys) {
				c, _ := rsproto.Dial(sys)
				_, err = c.Update(tt.service, tt.impl)
			}})
			require.NoError(t, err2)
			_, err2 = s.Run()
			require.NoError(t, err2)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}
