package streamproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
)

// Pollers stay within their bounds: per handle, overall; re-arming does
// not count twice; Exited forgets a task's registrations.
func TestPollersBounds(t *testing.T) {
	var ps streamproto.Pollers
	for i := range streamproto.MaxPollersPerHandle {
		assert.True(t, ps.Arm(ipc.Endpoint(100+i), 1, linux.POLLIN), "Arm() %d on handle 1", i)
	}
	assert.True(t, ps.Arm(100, 1, linux.POLLOUT), "Arm() again by the same task")
	assert.False(t, ps.Arm(999, 1, linux.POLLIN), "Arm() past the per-handle bound")
	assert.Equal(t, streamproto.MaxPollersPerHandle, ps.Len())
	for h := streamproto.Handle(2); ps.Len() < streamproto.MaxPollers; h++ {
		if !ps.Arm(7, h, linux.POLLIN) {
			t.Fatalf("Arm(7, %d) = false before the bound, want true", h)
		}
	}
	assert.False(t, ps.Arm(8, 1<<40, linux.POLLIN), "Arm() past the overall bound")
	ps.Exited(7)
	ps.Exited(100)
	assert.Equal(t, streamproto.MaxPollersPerHandle-1, ps.Len(), "Len() after Exited")
}

// ReadyArmEvents accepts 0 and ReadyArm with poll events, nothing else.
func TestReadyArmEvents(t *testing.T) {
	tests := []struct {
		name        string
		word        uint64
		events      uint64
		arm, wantOK bool
	}{
		{"plain", 0, 0, false, true},
		{"arm in", streamproto.ReadyArm | linux.POLLIN, linux.POLLIN, true, true},
		{"arm in out", streamproto.ReadyArm | linux.POLLIN | linux.POLLOUT, linux.POLLIN | linux.POLLOUT, true, true},
		{"events without arm", linux.POLLIN, 0, false, false},
		{"unknown bit", streamproto.ReadyArm | 1<<40, 0, false, false},
		{"all ones", ^uint64(0), 0, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, arm, ok := streamproto.ReadyArmEvents(tc.word)
			assert.Equal(t, tc.wantOK, ok, "ReadyArmEvents() ok")
			assert.Equal(t, tc.arm, arm, "ReadyArmEvents() arm")
			assert.Equal(t, tc.events, ev, "ReadyArmEvents() events")
		})
	}
}
