package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/kernel"
)

func main() {
	boot.ChildMain() // `mkos serve ...`: a server process (boot/process.go)
	code, msg := exitCode(newRoot().Execute())
	if msg != "" {
		fmt.Fprintln(os.Stderr, "mkos:", msg)
	}
	if code != 0 {
		os.Exit(code) // after a stall the run's goroutine spins on: exit now
	}
}

// exitCode maps what a command returned to mkos's exit status, and the
// message main prints first ("" for none: the command said it already).
// 3: a kernel panic; exitStalled: the watchdog stopped the run; a shell's
// status; 1: any other error.
func exitCode(err error) (int, string) {
	var p *kernel.Panic
	var stall *kernel.Stall
	var st exitStatus
	switch {
	case errors.As(err, &p):
		return 3, ""
	case errors.As(err, &stall):
		return exitStalled, err.Error()
	case errors.As(err, &st) && st > 0:
		return int(st), ""
	case err != nil:
		return 1, err.Error()
	}
	return 0, ""
}
