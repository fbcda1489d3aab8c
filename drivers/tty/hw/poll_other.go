//go:build !unix

package hw

// pollable says readable cannot wait with a timeout on this host (Windows,
// the browser): the live keyboard's pump blocks in its read, and close
// does not wait for it.
const pollable = false

// readable reports true: the read blocks until a key is pressed.
func readable(int) bool { return true }
