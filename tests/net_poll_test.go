package tests

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/streamproto"
	"github.com/mkos/mkos/user/ulib"
)

// pollStep is what one PollFds call returned.
type pollStep struct {
	N       int
	Revents []int16
}

// PollFds over a socket, a pipe and the console, in every mode: nothing
// ready gives 0 after the timeout (and at once with timeout 0); a byte in
// the pipe, a line typed at the console and a segment on the connection
// each wake a poll for POLLIN on its descriptor, and only that one.
func TestNetPollSocketPipeConsole(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			addr := netip.MustParseAddrPort("127.0.0.1:2003")
			cfg := netConfig(mode)
			cfg.Console = &boot.ConsoleConf{Input: "typed\n"}
			var steps []pollStep
			var waitedNs, sockWaitNs int64
			var err error
			runNet(t, cfg, func(p *ulib.Proc) {
				err = func() error {
					c, err := acceptOne(p, addr)
					if err != nil {
						return err
					}
					r, w, err := p.Pipe()
					if err != nil {
						return err
					}
					tty, err := p.OpenStream(streamproto.TTY, "", linux.O_RDONLY)
					if err != nil {
						return err
					}
					poll := func(timeoutNs int64, fds ...int) error {
						pf := make([]ulib.PollFd, len(fds))
						for i, fd := range fds {
							pf[i] = ulib.PollFd{Fd: fd, Events: linux.POLLIN}
						}
						n, err := p.PollFds(pf, timeoutNs)
						st := pollStep{N: n}
						for _, f := range pf {
							st.Revents = append(st.Revents, f.Revents)
						}
						steps = append(steps, st)
						return err
					}
					if err := poll(0, c, r); err != nil { // nothing yet
						return err
					}
					t0 := p.Sys.Now()
					if err := poll(2_000_000, c, r); err != nil { // still nothing, after 2 ms
						return err
					}
					waitedNs = p.Sys.Now() - t0
					if _, err := p.Write(w, []byte("x")); err != nil {
						return err
					}
					if err := poll(-1, c, r); err != nil { // the pipe
						return err
					}
					if err := poll(-1, c, tty); err != nil { // the console's line
						return err
					}
					t0 = p.Sys.Now()
					if err := poll(-1, c); err != nil { // the peer's segment, sent at 10 ms
						return err
					}
					sockWaitNs = p.Sys.Now() - t0
					return nil
				}()
			}, func(p *ulib.Proc) {
				fd, e := dialRetry(p, addr)
				if e != nil {
					err = e
					return
				}
				_ = p.Sleep(10_000_000)
				_, _ = p.Write(fd, []byte("segment"))
				_ = p.Sleep(1_000_000)
			})
			require.NoError(t, err)
			want := []pollStep{
				{0, []int16{0, 0}},
				{0, []int16{0, 0}},
				{1, []int16{0, linux.POLLIN}},
				{1, []int16{0, linux.POLLIN}}, // the script typed its line (the console wakes the poller before the script ends)
				{1, []int16{linux.POLLIN}},
			}
			assert.Equal(t, want, steps)
			assert.GreaterOrEqual(t, waitedNs, int64(2_000_000), "PollFds(timeout 2ms) waited")
			assert.Positive(t, sockWaitNs, "PollFds() for the socket waited")
		})
	}
}
