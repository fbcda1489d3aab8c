package tests

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// PollFds on a connection with nothing to read wakes when the peer writes
// at 5 ms: within the IPC costs of the write and of one more Ready round,
// not at the next step of the back-off (50 µs doubling: 6.35 ms). In
// every mode, so the net server's notification reaches a program with
// user privileges whether the server is a task or in the kernel.
func TestPollFdsWakesWhenThePeerWrites(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			addr := netip.MustParseAddrPort("127.0.0.1:2004")
			var n int
			var revents int16
			var wokeAt, wroteAt int64
			var err error
			runNet(t, netConfig(mode), func(p *ulib.Proc) {
				err = func() error {
					c, err := acceptOne(p, addr)
					if err != nil {
						return err
					}
					fds := []ulib.PollFd{{Fd: c, Events: linux.POLLIN}}
					n, err = p.PollFds(fds, -1)
					wokeAt, revents = p.Sys.Now(), fds[0].Revents
					return err
				}()
			}, func(p *ulib.Proc) {
				fd, e := dialRetry(p, addr)
				if e != nil {
					err = e
					return
				}
				_ = p.Sleep(5_000_000 - p.Sys.Now())
				_, _ = p.Write(fd, []byte("segment"))
				wroteAt = p.Sys.Now()
				_ = p.Sleep(1_000_000)
			})
			require.NoError(t, err)
			assert.Equal(t, 1, n, "PollFds()")
			assert.Equal(t, int16(linux.POLLIN), revents, "PollFds() revents")
			assert.GreaterOrEqual(t, wroteAt, int64(5_000_000), "wrote at")
			assert.Less(t, wokeAt-wroteAt, int64(30_000), "PollFds() returned after the write by (ns)")
		})
	}
}
