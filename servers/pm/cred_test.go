package pm_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/pm"
	"github.com/mkos/mkos/user/ulib"
)

// user is the ordinary user of the credential tests.
var user = ipc.Cred{UID: 1000, GID: 1000}

// credLog is what the credential test programs saw, keyed by a label.
type credLog struct {
	mu   sync.Mutex
	errs map[string]error
	cred map[string]ipc.Cred
}

func (l *credLog) err(k string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs[k] = err
}

func (l *credLog) saw(k string, c ipc.Cred) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cred[k] = c
}

// bootCred boots pm with the test programs and three more:
//
//	/bin/whoami LABEL   logs its credentials under LABEL
//	/bin/asuser ARGS…   becomes user (Setcred), logs the error, then
//	                    spawns ARGS and waits for it
//	/bin/userkill PID   becomes user, then signals PID and init; spawns
//	                    spins of its own and kills them, one by pid, one
//	                    with kill(-1)
func bootCred(t *testing.T, pl string, exec pm.Exec) (*system, *credLog) {
	log := &credLog{errs: map[string]error{}, cred: map[string]ipc.Cred{}}
	progs := testPrograms(&syncBuffer{})
	progs["/bin/whoami"] = ulib.Main(func(p *ulib.Proc, argv, _ []string) int {
		c, err := p.Cred()
		log.err("cred "+argv[1], err)
		log.saw(argv[1], c)
		return 0
	})
	progs["/bin/asuser"] = ulib.Main(func(p *ulib.Proc, argv, _ []string) int {
		log.err("setcred user", p.Setcred(user))
		log.err("setcred root again", p.Setcred(ipc.Root))
		log.err("setcred self", p.Setcred(user))
		pid, err := p.Spawn(argv[1], argv[1:], nil, nil)
		log.err("spawn "+argv[1], err)
		if err == nil {
			_, _, _ = p.Waitpid(pid, 0)
		}
		return 0
	})
	progs["/bin/userkill"] = ulib.Main(func(p *ulib.Proc, argv, _ []string) int {
		target, _ := strconv.Atoi(argv[1])
		_ = p.Setcred(user)
		log.err("kill root's", p.Kill(target, linux.SIGTERM))
		log.err("kill init", p.Kill(1, linux.SIGKILL))
		own, err := p.Spawn("/bin/spin", nil, nil, nil)
		if err == nil {
			log.err("kill own", p.Kill(own, linux.SIGUSR1)) // caught by no one: it ends
			_, _, _ = p.Waitpid(own, 0)
		}
		own, err = p.Spawn("/bin/spin", nil, nil, nil)
		if err == nil {
			log.err("kill everyone", p.Kill(-1, linux.SIGTERM)) // root's spin and the user's own
			_, ws, _ := p.Waitpid(own, 0)
			log.saw(fmt.Sprintf("own spin ended by %v", ws.Signal()), user)
		}
		return 0
	})
	return boot(t, pl, pm.Options{Programs: progs, Exec: exec}), log
}

func TestChildrenInheritCredentials(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		s, log := bootCred(t, pl, nil)
		s.init(t, func(p *ulib.Proc) {
			pid, _ := p.Spawn("/bin/whoami", []string{"whoami", "root's child"}, nil, nil)
			_, _, _ = p.Waitpid(pid, 0)
			pid, _ = p.Spawn("/bin/asuser", []string{"asuser", "/bin/whoami", "user's child"}, nil, nil)
			_, _, _ = p.Waitpid(pid, 0)
		})
		assert.Equal(t, ipc.Root, log.cred["root's child"], "credentials of root's child")
		assert.Equal(t, user, log.cred["user's child"], "credentials of a child spawned after Setcred(user)")
		assert.NoError(t, log.errs["setcred user"], "Setcred(user) by root")
		assert.ErrorIs(t, log.errs["setcred root again"], linux.EPERM, "Setcred(root) by a user")
		assert.NoError(t, log.errs["setcred self"], "Setcred(self) by a user")
	})
}

func TestKillNeedsTheSameUser(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		s, log := bootCred(t, pl, nil)
		var rootSpin ended
		s.init(t, func(p *ulib.Proc) {
			spin, _ := p.Spawn("/bin/spin", nil, nil, nil)
			pid, _ := p.Spawn("/bin/userkill", []string{"userkill", strconv.Itoa(spin)}, nil, nil)
			_, _, _ = p.Waitpid(pid, 0)
			_ = p.Kill(spin, linux.SIGKILL)
			rootSpin = waitOne(p, spin, 0)
		})
		assert.ErrorIs(t, log.errs["kill root's"], linux.EPERM, "a user's Kill of root's process")
		assert.ErrorIs(t, log.errs["kill init"], linux.EPERM, "a user's Kill of init")
		assert.NoError(t, log.errs["kill own"], "a user's Kill of its own process")
		assert.NoError(t, log.errs["kill everyone"], "a user's Kill(-1): its own processes are signalled")
		assert.Contains(t, log.cred, "own spin ended by terminated", "the user's own spin ends by its Kill(-1)")
		assert.Equal(t, linux.SIGKILL, rootSpin.ws.Signal(), "root's process ends by root's SIGKILL, not by the user's SIGTERMs")
	})
}

// refuseUser is an Exec hook that refuses user /bin/exit and knows no
// other file.
type refuseUser struct{}

func (refuseUser) MayExec(_ ipc.Sys, c ipc.Cred, path string) error {
	if path == "/bin/exit" && !c.IsRoot() {
		return linux.EACCES
	}
	return linux.ENOENT
}

func TestExecHookRefusesTheCaller(t *testing.T) {
	forPlacements(t, func(t *testing.T, pl string) {
		s, log := bootCred(t, pl, refuseUser{})
		var rootErr error
		s.init(t, func(p *ulib.Proc) {
			pid, err := p.Spawn("/bin/exit", []string{"exit", "0"}, nil, nil)
			rootErr = err
			_, _, _ = p.Waitpid(pid, 0)
			pid, _ = p.Spawn("/bin/asuser", []string{"asuser", "/bin/exit", "0"}, nil, nil)
			_, _, _ = p.Waitpid(pid, 0)
			pid, _ = p.Spawn("/bin/asuser", []string{"asuser", "/bin/true"}, nil, nil)
			_, _, _ = p.Waitpid(pid, 0)
		})
		assert.NoError(t, rootErr, "root spawns /bin/exit (pm asks nothing for root)")
		assert.ErrorIs(t, log.errs["spawn /bin/exit"], linux.EACCES, "a user spawns a program its file refuses")
		assert.NoError(t, log.errs["spawn /bin/true"], "a user spawns a program with no file (built in)")
	})
}

// An ordinary user's fork bomb stops at the per-user limit, below the
// table's: there is room left for root.
func TestPerUserProcessLimit(t *testing.T) {
	s := boot(t, "user", pm.Options{MaxProcs: 20, MaxProcsPerUser: 4})
	var spawned int
	var last error
	spec := pm.Adopt("init", func(sys ipc.Sys, _, _ []string) int {
		p := ulib.New(sys)
		for i := 0; i < 10; i++ {
			if _, last = p.Spawn("/bin/spin", nil, nil, nil); last != nil {
				break
			}
			spawned++
		}
		return 0
	}, nil, nil)
	spec.Cred = &user
	_, err := s.k.Spawn(spec)
	assert.NoError(t, err)
	assert.NoError(t, s.k.Run())
	assert.Equal(t, 3, spawned, "init and three children make the user's four")
	assert.ErrorIs(t, last, linux.EAGAIN)
}
