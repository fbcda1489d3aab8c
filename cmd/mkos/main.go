package main

import (
	"fmt"
	"os"

	"github.com/mkos/mkos/boot"
)

func main() {
	boot.ChildMain() // `mkos serve ...`: a server process (boot/process.go)
	setWasmCache()
	code, msg := exitCode(newRoot().Execute())
	reportWasmCompiles()
	if msg != "" {
		fmt.Fprintln(os.Stderr, "mkos:", msg)
	}
	if code != 0 {
		os.Exit(code) // after a stall the run's goroutine spins on: exit now
	}
}
