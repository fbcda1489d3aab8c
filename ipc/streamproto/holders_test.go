package streamproto

import (
	"testing"

	"github.com/mkos/mkos/ipc"
)

// A handle made by a parent is the child's once the child uses it; a
// handle used by two tasks is held by both; Unhold of the last handle
// forgets the task.
func TestHolders(t *testing.T) {
	parent, child, other := ipc.Endpoint(1), ipc.Endpoint(2), ipc.Endpoint(3)
	x := Holders[Handle]{}
	users, made := []ipc.Endpoint{parent}, true
	x.Hold(7, parent)

	x.Use(7, &users, &made, child)
	if made || len(users) != 1 || users[0] != child || x[parent][7] || !x[child][7] {
		t.Fatalf("after the child's first use: users %v, made %v, index %v; want [child], false, the child's alone", users, made, x)
	}
	x.Use(7, &users, &made, other)
	if len(users) != 2 || !x[other][7] || !x[child][7] {
		t.Fatalf("after another task's use: users %v, index %v; want both holding", users, x)
	}
	x.Unhold(7, child)
	if _, ok := x[child]; ok {
		t.Errorf("Unhold of the child's only handle left %v, want the child gone", x[child])
	}
}
