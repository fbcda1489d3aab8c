//go:build js

package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
)

// errNoTerminalView says why the terminal dashboard is absent: the
// browser build has no terminal (bubbletea does not build for js/wasm).
var errNoTerminalView = errors.New("mkos top: the terminal dashboard is not available in the browser (js/wasm) build; use mkos web's page")

func newTopCmd() *cobra.Command {
	return &cobra.Command{Use: "top", Short: "a live dashboard (not in the browser build)",
		RunE: func(*cobra.Command, []string) error { return errNoTerminalView }}
}

func runShellTop(*cobra.Command, *shellFlags, boot.Config) error { return errNoTerminalView }
