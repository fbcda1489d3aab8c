//go:build !js

package main

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/live"
	"github.com/mkos/mkos/live/top"
)

// The terminal dashboards (bubbletea): not in a js/wasm build, which has no
// terminal (top_js.go).

// runDashboard runs the bubbletea dashboard on the terminal until q.
func runDashboard(cmd *cobra.Command, m *live.Model, every time.Duration) error {
	out := cmd.OutOrStdout()
	r := lipgloss.NewRenderer(out)
	d := top.New(m, every, top.NewStyles(r))
	p := tea.NewProgram(d, tea.WithAltScreen(), tea.WithInput(cmd.InOrStdin()), tea.WithOutput(out))
	_, err := p.Run()
	return err
}

// runShellTop is `mkos shell --top`: the shell on a live console under the
// dashboard.
func runShellTop(cmd *cobra.Command, f *shellFlags, cfg boot.Config) error {
	con := live.NewConsole()
	cfg.Console = &boot.ConsoleConf{In: con.In, Out: con, Interactive: true}
	if err := cfg.Check(); err != nil {
		return err
	}
	r, err := bootLive(cfg, &liveFlags{runFlags: f.runFlags, speed: "max"})
	if err != nil {
		return err
	}
	if err := formatIfBlank(r.sys, cfg.Disk.Image, cmd.ErrOrStderr()); err != nil {
		r.sys.Close()
		return err
	}
	status, err := startSession(r.sys, f.init, nil)
	if err != nil {
		r.sys.Close()
		return err
	}
	r.start()
	out := cmd.OutOrStdout()
	every := 100 * time.Millisecond
	split := top.NewSplit(top.New(r.model, every, top.NewStyles(lipgloss.NewRenderer(out))), con)
	p := tea.NewProgram(split, tea.WithAltScreen(), tea.WithInput(cmd.InOrStdin()), tea.WithOutput(out))
	_, perr := p.Run()
	r.stop()
	con.Close()
	if err := r.wait(cmd); err != nil {
		return err
	}
	if perr != nil {
		return perr
	}
	if *status > 0 {
		return exitStatus(*status)
	}
	return nil
}
