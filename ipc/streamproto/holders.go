package streamproto

import (
	"slices"

	"github.com/mkos/mkos/ipc"
)

// Holders is a stream service's index of the handles each task holds —
// the inverse of each handle's list of holders — so that the service can
// close what a dead task held (the pipe and net servers' exit.go). Who
// holds a handle: the task that made it, until another task uses it
// first, and every task that has used it (Use).
type Holders[H comparable] map[ipc.Endpoint]map[H]bool

// Hold records that task holds h.
func (x Holders[H]) Hold(h H, task ipc.Endpoint) {
	m := x[task]
	if m == nil {
		m = map[H]bool{}
		x[task] = m
	}
	m[h] = true
}

// Unhold forgets that task holds h.
func (x Holders[H]) Unhold(h H, task ipc.Endpoint) {
	if m := x[task]; m != nil {
		delete(m, h)
		if len(m) == 0 {
			delete(x, task)
		}
	}
}

// Use records that caller uses h, whose holders are *users. made says
// h was just made (Pipe, Dup, Socket, Accept) and is still its maker's
// alone: the first other task to use it takes it over — a handle a parent
// makes for a child is the child's once the child uses it.
func (x Holders[H]) Use(h H, users *[]ipc.Endpoint, made *bool, caller ipc.Endpoint) {
	if *made {
		*made = false
		if maker := (*users)[0]; maker != caller {
			*users = (*users)[:0]
			x.Unhold(h, maker)
		}
	}
	if !slices.Contains(*users, caller) {
		*users = append(*users, caller)
		x.Hold(h, caller)
	}
}
