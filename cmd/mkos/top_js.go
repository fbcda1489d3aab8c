//go:build js

package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/live"
)

// errNoDashboard is the error of the terminal dashboard in the browser,
// where its terminal library (bubbletea) does not build.
var errNoDashboard = fmt.Errorf("the terminal dashboard (mkos top, shell --top) is not available in the browser (js/wasm): use mkos top --frames N for plain-text frames")

// runDashboard fails with errNoDashboard.
func runDashboard(*cobra.Command, *live.Model, time.Duration) error { return errNoDashboard }

// runShellTop fails with errNoDashboard.
func runShellTop(*cobra.Command, *shellFlags, boot.Config) error { return errNoDashboard }
