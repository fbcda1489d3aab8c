package bench

import (
	"fmt"

	"github.com/mkos/mkos/ipc/pmproto"
)

var spawnWorkload = &Workload{
	Name:       "spawn",
	Doc:        "spawn /bin/true through pm, let it exit, wait for it",
	Needs:      []string{pmproto.Name},
	Op:         spawnTrue,
	VirtualOps: 200,
}

// spawnTrue runs /bin/true as a child and waits for its exit status.
func spawnTrue(e *Env, _ int) error {
	pid, err := e.PM.Spawn("/bin/true", []string{"true"}, nil, nil)
	if err != nil {
		return fmt.Errorf("spawn: %w", err)
	}
	got, ws, err := e.PM.Wait(pid, 0)
	if err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	if got != pid || !ws.Exited() || ws.ExitStatus() != 0 {
		return fmt.Errorf("wait = pid %d status %#x, want pid %d exit 0", got, int(ws), pid)
	}
	return nil
}
