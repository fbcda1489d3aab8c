//go:build js

package main

import (
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/live"
)

// A js/wasm build has no terminal for the dashboards: mkos top --frames
// still prints its frames.

func runDashboard(*cobra.Command, *live.Model, time.Duration) error {
	return errors.New("mkos top: no terminal in this build: use --frames N")
}

func runShellTop(*cobra.Command, *shellFlags, boot.Config) error {
	return errors.New("mkos shell --top: no terminal in this build")
}
