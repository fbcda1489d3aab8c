//go:build !unix

package course

import "os/exec"

// killGroup: elsewhere a timeout kills the command only.
func killGroup(*exec.Cmd) {}
