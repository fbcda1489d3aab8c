package ipc

// Fault is a panic value that ends a task body with a death whose cause is
// Cause, word for word, and whose status is Code. A body that stands for
// something outside the simulator — the proxy of a server placed in a host
// process — ends with it to say how that thing died ("killed by SIGKILL").
type Fault struct {
	Cause string
	Code  int
}
