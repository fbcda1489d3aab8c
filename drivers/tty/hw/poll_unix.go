//go:build unix

package hw

import (
	"errors"

	"golang.org/x/sys/unix"
)

// pollable says readable can wait for input with a timeout here.
const pollable = true

// readable polls fd for input for up to 50 ms. A descriptor that cannot be
// polled counts as readable: the read then blocks as it would anyway.
func readable(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 50)
	return err != nil && !errors.Is(err, unix.EINTR) || n > 0
}
