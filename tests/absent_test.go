//go:build !linux

package tests

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
)

// TestProcessPlacementAbsent: where there is no process placement (it is
// Linux's), asking for it is a clear error naming the feature and this
// platform, not a crash at the first request.
func TestProcessPlacementAbsent(t *testing.T) {
	cfg := boot.Default()
	cfg.Isolation = boot.IsolationProcess
	err := cfg.Check()
	require.Error(t, err)
	require.Contains(t, err.Error(), "process placement is Linux-only")
	require.Contains(t, err.Error(), runtime.GOOS+"/"+runtime.GOARCH)
}
