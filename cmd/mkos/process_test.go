//go:build linux

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With every server that can in a host process of its own, the shell's
// file commands give what they give with tasks, and survive fs killed
// with SIGKILL, disk overflowing its stack and fs crashed by the kernel.
func TestRunIsolationProcess(t *testing.T) {
	for _, c := range []struct {
		name, faults, cmds string
		causes             []string
	}{
		{"no fault", "", "", nil},
		{"kill9 and stack overflow", "fs:kill9,disk:stackoverflow", "",
			[]string{"killed by SIGKILL", "exited with status 2: runtime: goroutine stack exceeds 1048576-byte limit"}},
		{"crash", "", "crash fs; ", []string{"injected crash"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"run", "--isolation", "process", "-c", c.cmds + "mkdir /d; echo hello world > /d/a; cat /d/a; ls /d; wc -c /d/a; svc log; svc list"}
			if c.faults != "" {
				args = append(args, "--host-fault", c.faults)
			}
			out, errOut, err := mkos(t, args...)
			require.NoError(t, err, errOut)
			assert.Contains(t, out, "hello world\na\n12 /d/a\n", "the commands' output")
			for _, cause := range c.causes {
				assert.Contains(t, out, cause, "svc log")
			}
			assert.Regexp(t, `(?m)^fs +up +process:[1-9][0-9]* `, out, "svc list: the placement and the host PID")
			assert.Regexp(t, `(?m)^rs +up +user `, out, "svc list: rs is a task")
		})
	}
}

func TestRunHostFaultErrors(t *testing.T) {
	for _, c := range []struct{ name, spec, want string }{
		{"unknown kind", "echo:melt", `"echo:melt" is not SERVICE:KIND`},
		{"no colon", "echo", `"echo" is not SERVICE:KIND`},
		{"not a process", "null:kill9", "null is not placed in a process"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := mkos(t, "run", "--mode", "hybrid", "--host-fault", c.spec)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}
