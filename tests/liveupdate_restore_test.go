package tests

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
)

// statefulServers returns a fresh instance of every server in boot's
// table that takes a state in a live update, by name.
func statefulServers(t testing.TB) map[string]ipc.Stateful {
	cfg := boot.Default()
	out := map[string]ipc.Stateful{}
	for name, mk := range boot.Servers {
		if st, ok := mk(&cfg).(ipc.Stateful); ok {
			out[name] = st
		}
	}
	return out
}

// Every stateful server of the issue is stateful; every one refuses a
// state it cannot read — garbage, another version, a state cut short —
// with an error, never a panic, and takes its own fresh state back.
func TestRestoreRefusesGarbage(t *testing.T) {
	servers := statefulServers(t)
	var names []string
	for n := range servers {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, want := range []string{"ds", "echo", "fs", "mm", "pipe", "pm"} {
		assert.Contains(t, names, want, "stateful servers")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ver, good, err := servers[name].State()
			require.NoError(t, err, "State of a fresh %s", name)
			tests := []struct {
				name string
				ver  int
				data []byte
			}{
				{"garbage", ver, []byte("\x00\xff{not a state")},
				{"empty", ver, nil},
				{"another version", ver + 1, good},
				{"cut short", ver, good[:len(good)/2]},
			}
			for _, tt := range tests {
				assert.NotPanics(t, func() {
					err := statefulServers(t)[name].Restore(tt.ver, tt.data)
					if name != "echo-faulty" || tt.ver != 2 {
						assert.Error(t, err, "%s: Restore(%s)", name, tt.name)
					}
				}, "%s: Restore(%s)", name, tt.name)
			}
			if name != "echo-faulty" {
				assert.NoError(t, statefulServers(t)[name].Restore(ver, good), "%s takes a fresh instance's state", name)
			}
		})
	}
}

// FuzzRestore hands every stateful server the fuzzer's bytes as a state:
// no panic, whatever they are.
//
//	go test ./tests -run '^$' -fuzz FuzzRestore -fuzztime 20s
func FuzzRestore(f *testing.F) {
	for _, st := range statefulServers(f) {
		if v, data, err := st.State(); err == nil {
			f.Add(v, data)
		}
	}
	f.Fuzz(func(t *testing.T, ver int, data []byte) {
		for name, st := range statefulServers(t) {
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%s: Restore(%d, %q) panicked: %v", name, ver, data, fmt.Sprint(p))
					}
				}()
				_ = st.Restore(ver, data)
			}()
		}
	})
}
