package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/mkos/mkos/kernel"
)

func main() {
	err := newRoot().Execute()
	var p *kernel.Panic
	var stall *kernel.Stall
	var st exitStatus
	switch {
	case errors.As(err, &p):
		os.Exit(3)
	case errors.As(err, &stall):
		fmt.Fprintln(os.Stderr, "mkos:", err)
		os.Exit(exitStalled) // the stalled run's goroutine spins on: exit now
	case errors.As(err, &st) && st > 0:
		os.Exit(int(st))
	case err != nil:
		fmt.Fprintln(os.Stderr, "mkos:", err)
		os.Exit(1)
	}
}
