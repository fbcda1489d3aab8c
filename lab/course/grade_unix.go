//go:build unix

package course

import (
	"os/exec"
	"syscall"
)

// killGroup makes a timeout kill the command's whole process group (go
// test's test binary too), not only the command.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
