//go:build !linux

package procplace

import (
	"fmt"
	"runtime"
	"time"

	"github.com/mkos/mkos/ipc"
)

// Supported reports whether this host can place servers in processes:
// flipcall and seccomp are Linux's.
const Supported = false

// ErrUnsupported is the error of process placement on other systems.
// It names the feature and this host's platform.
var ErrUnsupported = fmt.Errorf("process placement (isolation: process) is Linux-only: it needs gVisor flipcall and seccomp, which %s/%s lacks", runtime.GOOS, runtime.GOARCH)

// Body is a proxy that cannot start its process: boot refuses process
// placement here before it would be called.
func Body(Options) func(ipc.Sys) {
	return func(ipc.Sys) { panic(ipc.Fault{Cause: ErrUnsupported.Error(), Code: 127}) }
}

// Child fails: there is no server process here.
func Child([]string, MakeServer) error { return ErrUnsupported }

func syscallName(nr uintptr) string { return fmt.Sprintf("system call %d", nr) }

func limitMemory() {}

// KillPID fails: there are no server processes here.
func KillPID(int) error { return ErrUnsupported }

// MeasureRoundTrip fails: there is no flipcall here.
func MeasureRoundTrip(string, time.Duration) (float64, error) { return 0, ErrUnsupported }

func forbidden() {}
