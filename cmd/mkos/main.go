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
	err := newRoot().Execute()
	var p *kernel.Panic
	var st exitStatus
	switch {
	case errors.As(err, &p):
		os.Exit(3)
	case errors.As(err, &st) && st > 0:
		os.Exit(int(st))
	case err != nil:
		fmt.Fprintln(os.Stderr, "mkos:", err)
		os.Exit(1)
	}
}
