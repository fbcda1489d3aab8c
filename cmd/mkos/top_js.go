//go:build js

package main

import (
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/live"
)

// errNoTerminalView says why the terminal dashboards are absent: the
// browser build has no terminal (bubbletea does not build for js/wasm).
// mkos top --frames still prints its frames, and the page is mkos web's.
var errNoTerminalView = errors.New("the terminal dashboard is not available in the browser (js/wasm) build; use mkos top --frames N, or mkos web's page")

func runDashboard(*cobra.Command, *live.Model, time.Duration) error {
	return errors.New("mkos top: " + errNoTerminalView.Error())
}

func runShellTop(*cobra.Command, *shellFlags, boot.Config) error {
	return errors.New("mkos shell --top: " + errNoTerminalView.Error())
}
