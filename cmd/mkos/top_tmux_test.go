//go:build e2e

package main

// End-to-end runs of `mkos top` and `mkos shell --top` on a real terminal:
// tmux runs them, send-keys types, capture-pane reads the screen. Run with
// `make e2e` (it installs tmux when missing).

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// tmux is one tmux session running a command.
type tmux struct {
	t    *testing.T
	name string
}

func newTmux(t *testing.T, command string) *tmux {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mkos")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	s := &tmux{t: t, name: "mkos-e2e-" + strings.ReplaceAll(t.Name(), "/", "-")}
	exec.Command("tmux", "kill-session", "-t", s.name).Run()
	out, err = exec.Command("tmux", "new-session", "-d", "-s", s.name, "-x", "120", "-y", "45",
		strings.Replace(command, "mkos", bin, 1)).CombinedOutput()
	require.NoError(t, err, "%s", out)
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", s.name).Run() })
	return s
}

func (s *tmux) keys(k ...string) {
	out, err := exec.Command("tmux", append([]string{"send-keys", "-t", s.name}, k...)...).CombinedOutput()
	require.NoError(s.t, err, "%s", out)
}

func (s *tmux) screen() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	return string(out)
}

// waitFor waits until the screen shows want.
func (s *tmux) waitFor(want string) string {
	s.t.Helper()
	var screen string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if screen = s.screen(); strings.Contains(screen, want) {
			return screen
		}
	}
	s.t.Fatalf("the screen never showed %q; it shows:\n%s", want, screen)
	return ""
}

// gone waits for the session to end.
func (s *tmux) gone() {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if exec.Command("tmux", "has-session", "-t", s.name).Run() != nil {
			return
		}
	}
	s.t.Fatal("the session did not end")
}

func TestTmuxTop(t *testing.T) {
	s := newTmux(t, "mkos top --speed 0.01 --calls 100000")
	s.waitFor("client0")
	s.keys("Space")
	s.waitFor("PAUSED")
	s.keys("Down", "c") // the second service: null
	s.waitFor("sent: crash null")
	s.keys("Space")
	s.waitFor("restart  null")
	s.keys("q")
	s.gone()
}

func TestTmuxShellTop(t *testing.T) {
	s := newTmux(t, "mkos shell --top")
	s.waitFor("keys go to the shell")
	s.keys("ls /", "Enter")
	s.waitFor("home")
	s.keys("mkos sched -l 5,10 -c", "Enter")
	screen := s.waitFor("Average -- Response: 2.50")
	terminalShot(t, "shell-top.png", screen) // for the README: the split screen
	s.keys("exit", "Enter")
	s.gone()
}
