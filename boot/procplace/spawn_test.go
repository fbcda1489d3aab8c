package procplace

import (
	"errors"
	"reflect"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// spawnSys is the proxy's Sys in these tests: it records the one Spawn.
type spawnSys struct {
	ipc.Sys // nil: any other call panics the test
	got     *ipc.TaskSpec
}

func (s *spawnSys) Spawn(t ipc.TaskSpec) (ipc.Endpoint, error) {
	s.got = &t
	return ipc.Endpoint(42), nil
}

// spawnThrough sends spec as a process's Spawn would and has the proxy
// execute it with makers; it returns what the process reads back and
// what the proxy spawned.
func spawnThrough(t *testing.T, spec ipc.TaskSpec, makers map[string]Maker, cut int) (ipc.Endpoint, *ipc.TaskSpec, error) {
	t.Helper()
	win := make([]byte, windowBytes)
	sys := &spawnSys{}
	ks := newKernelSide(sys, 0)
	ks.makers = makers
	r := newRemoteSys(win, func(n uint32) (uint32, error) {
		req := append([]byte(nil), win[:int(n)-cut]...)
		return uint32(ks.do(req, win)), nil
	}, func(err error) { t.Fatalf("fatal: %v", err) })
	ep, err := r.Spawn(spec)
	return ep, sys.got, err
}

func TestSpawnByRecipe(t *testing.T) {
	ran := ""
	makers := map[string]Maker{
		"prog": func(arg []byte) (func(ipc.Sys), error) {
			if string(arg) == "bad" {
				return nil, errors.New("no such program")
			}
			return func(ipc.Sys) { ran = string(arg) }, nil
		},
	}
	priv := ipc.Priv{Name: "user", Calls: ipc.KInject, Register: []string{"x"}, Services: []string{ipc.AnyName}, Devices: nil}
	cred := ipc.Cred{UID: 1000, GID: 100}
	full := ipc.TaskSpec{Name: "sh", Prio: 3, Pin: true, CPU: 1, Tickets: 7, LengthNs: 99, Priv: &priv, Cred: &cred,
		Recipe: &ipc.Recipe{Maker: "prog", Arg: []byte("/bin/sh")}, Body: func(ipc.Sys) {}}
	t.Run("every field crosses", func(t *testing.T) {
		ep, got, err := spawnThrough(t, full, makers, 0)
		if err != nil || ep != 42 {
			t.Fatalf("Spawn() = %v, %v, want 42, nil", ep, err)
		}
		got.Body(nil)
		if ran != "/bin/sh" {
			t.Errorf("the spawned body ran %q, want the recipe's /bin/sh", ran)
		}
		want := full
		want.Body, got.Body = nil, nil
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("Spawn() spawned %+v, want %+v", *got, want)
		}
	})
	for _, c := range []struct {
		name string
		spec ipc.TaskSpec
		cut  int // bytes cut off the request on its way
		want error
	}{
		{"no recipe: the body cannot cross", ipc.TaskSpec{Name: "x", Body: func(ipc.Sys) {}}, 0, ipc.ErrNoSys},
		{"unknown maker", ipc.TaskSpec{Recipe: &ipc.Recipe{Maker: "nope"}}, 0, ipc.ErrNoSys},
		{"maker refuses", ipc.TaskSpec{Recipe: &ipc.Recipe{Maker: "prog", Arg: []byte("bad")}}, 0, linux.ENOEXEC},
		{"truncated request", full, 5, ipc.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, got, err := spawnThrough(t, c.spec, makers, c.cut)
			if !errors.Is(err, c.want) {
				t.Errorf("Spawn() error = %v, want %v", err, c.want)
			}
			if got != nil {
				t.Errorf("Spawn() spawned %+v, want nothing", *got)
			}
		})
	}
}

// A hostile count of strings in a privilege record is short, not a huge
// allocation.
func TestDecodeHostileStrs(t *testing.T) {
	var e enc
	buf := make([]byte, 64)
	e.reset(buf)
	e.u64(1 << 60)
	var d dec
	d.reset(buf[:e.n])
	if v := d.strs(); v != nil || !d.short {
		t.Errorf("strs() = %v, short %v; want nil, true", v, d.short)
	}
}
