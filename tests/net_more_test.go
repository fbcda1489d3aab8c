package tests

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/user/programs"
	"github.com/mkos/mkos/user/ulib"
)

// netChild is a program that writes its argument to descriptor 3, a
// socket its parent passed on, and exits.
const netChild = "/bin/nettest-child"

func init() {
	programs.Register(netChild, ulib.Main(func(p *ulib.Proc, argv, _ []string) int {
		if _, err := p.Write(3, []byte(argv[len(argv)-1])); err != nil {
			return 1
		}
		return 0
	}))
}

// dialRetry connects a new stream socket to a, trying again while the
// server is not listening yet.
func dialRetry(p *ulib.Proc, a netip.AddrPort) (int, error) {
	for try := 0; ; try++ {
		fd, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
		if err != nil {
			return -1, err
		}
		err = p.Connect(fd, a)
		if err == nil || !errors.Is(err, linux.ECONNREFUSED) || try == 20 {
			if err != nil {
				_ = p.Close(fd)
			}
			return fd, err
		}
		_ = p.Close(fd)
		_ = p.Sleep(1_000_000)
	}
}

// readAll reads fd to end of file.
func readAll(p *ulib.Proc, fd int) ([]byte, error) {
	var out []byte
	buf := make([]byte, 1024)
	for {
		n, err := p.Read(fd, buf)
		if err != nil || n == 0 {
			return out, err
		}
		out = append(out, buf[:n]...)
	}
}

// UDP over the loopback: a datagram to a bound socket arrives whole with
// its sender's address, and the reply goes back to that address.
func TestNetUDPLoopback(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			srv := netip.MustParseAddrPort("127.0.0.1:53")
			var got, reply string
			var from, replyFrom netip.AddrPort
			var srvErr, cliErr error
			runNet(t, netConfig(mode), func(p *ulib.Proc) {
				srvErr = func() error {
					fd, err := p.Socket(linux.AF_INET, linux.SOCK_DGRAM, 0)
					if err != nil {
						return err
					}
					if err := p.Bind(fd, srv); err != nil {
						return err
					}
					buf := make([]byte, 100)
					n, a, err := p.RecvFrom(fd, buf)
					if err != nil {
						return err
					}
					got, from = string(buf[:n]), a
					_, err = p.SendTo(fd, []byte("pong"), a)
					return err
				}()
			}, func(p *ulib.Proc) {
				cliErr = func() error {
					_ = p.Sleep(1_000_000)
					fd, err := p.Socket(linux.AF_INET, linux.SOCK_DGRAM, 0)
					if err != nil {
						return err
					}
					if _, err := p.SendTo(fd, []byte("ping"), srv); err != nil {
						return err
					}
					buf := make([]byte, 100)
					n, a, err := p.RecvFrom(fd, buf)
					reply, replyFrom = string(buf[:n]), a
					return err
				}()
			})
			require.NoError(t, srvErr)
			require.NoError(t, cliErr)
			assert.Equal(t, "ping", got)
			assert.Equal(t, "pong", reply)
			assert.Equal(t, srv, replyFrom, "RecvFrom() sender")
			assert.True(t, from.Addr().IsLoopback() && from.Port() != 0, "RecvFrom() sender = %v, want 127.0.0.1:<port>", from)
		})
	}
}

// A child inherits a socket (its descriptor 3) and writes into it; the
// parent closes its own descriptor first, so the connection ends when the
// child exits: the peer reads the child's bytes, then end of file.
func TestNetChildInheritsSocket(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			addr := netip.MustParseAddrPort("127.0.0.1:2000")
			var got []byte
			var srvErr, parentErr error
			runNet(t, netConfig(mode), func(p *ulib.Proc) {
				srvErr = func() error {
					ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
					if err != nil {
						return err
					}
					if err := p.Bind(ls, addr); err != nil {
						return err
					}
					if err := p.Listen(ls, 1); err != nil {
						return err
					}
					c, _, err := p.Accept(ls)
					if err != nil {
						return err
					}
					got, err = readAll(p, c)
					return err
				}()
			}, func(p *ulib.Proc) {
				parentErr = func() error {
					fd, err := dialRetry(p, addr)
					if err != nil {
						return err
					}
					pid, err := p.SpawnFiles(netChild, []string{"child", "hello from the child"}, nil, []int{-1, -1, -1, fd}, nil)
					if err != nil {
						return err
					}
					if err := p.Close(fd); err != nil {
						return err
					}
					_, _, err = p.Waitpid(pid, 0)
					return err
				}()
			})
			require.NoError(t, srvErr)
			require.NoError(t, parentErr)
			assert.Equal(t, "hello from the child", string(got))
		})
	}
}

// A program that dies holding a connection never closes it; the net
// server hears of the death and closes it, so the peer's read returns
// what was sent and then end of file instead of waiting forever.
func TestNetDeadProgramsSocketsClose(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			addr := netip.MustParseAddrPort("127.0.0.1:2001")
			var got []byte
			var srvErr, cliErr error
			sys := runNet(t, netConfig(mode), func(p *ulib.Proc) {
				srvErr = func() error {
					ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
					if err != nil {
						return err
					}
					if err := p.Bind(ls, addr); err != nil {
						return err
					}
					if err := p.Listen(ls, 1); err != nil {
						return err
					}
					c, _, err := p.Accept(ls)
					if err != nil {
						return err
					}
					got, err = readAll(p, c)
					return err
				}()
			}, func(p *ulib.Proc) {
				fd, err := dialRetry(p, addr)
				if err == nil {
					_, err = p.Write(fd, []byte("last words"))
				}
				cliErr = err // and end without closing fd
			})
			require.NoError(t, srvErr)
			require.NoError(t, cliErr)
			assert.Equal(t, "last words", string(got))
			_ = sys
		})
	}
}

// The net server crashes (micro, and hybrid where it runs in user
// space): the connection's calls fail with ECONNRESET (reads) and EPIPE
// (writes), the listener's Accept with ECONNABORTED; after the restart a
// new listener on the same port and a new connection work.
func TestNetServerCrash(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			addr := netip.MustParseAddrPort("127.0.0.1:2002")
			var readErr, writeErr, acceptErr, srvErr, cliErr error
			var again string
			connected := false
			runNet(t, netConfig(mode), func(p *ulib.Proc) {
				srvErr = func() error {
					ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
					if err != nil {
						return err
					}
					if err := p.Bind(ls, addr); err != nil {
						return err
					}
					if err := p.Listen(ls, 1); err != nil {
						return err
					}
					c, _, err := p.Accept(ls)
					if err != nil {
						return err
					}
					_, readErr = p.Read(c, make([]byte, 10)) // waits in net when it crashes
					_, _, acceptErr = p.Accept(ls)
					_ = p.Close(c)
					_ = p.Close(ls)
					// Listen again, on a new socket.
					ls, err = p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
					if err != nil {
						return err
					}
					if err := p.Bind(ls, addr); err != nil {
						return err
					}
					if err := p.Listen(ls, 1); err != nil {
						return err
					}
					c, _, err = p.Accept(ls)
					if err != nil {
						return err
					}
					b, err := readAll(p, c)
					again = string(b)
					return err
				}()
			}, func(p *ulib.Proc) {
				cliErr = func() error {
					fd, err := dialRetry(p, addr)
					if err != nil {
						return err
					}
					connected = true
					_ = p.Sleep(5_000_000) // the crash
					_, writeErr = p.Write(fd, []byte("lost"))
					_ = p.Close(fd)
					fd, err = dialRetry(p, addr)
					if err != nil {
						return err
					}
					if _, err := p.Write(fd, []byte("after the restart")); err != nil {
						return err
					}
					return p.Close(fd)
				}()
			}, func(p *ulib.Proc) {
				_ = p.Sleep(2_000_000)
				if err := p.Sys.Inject(netproto.Name, ipc.InjectCrash, 0); err != nil {
					cliErr = err
					return
				}
				c, _ := netproto.Dial(p.Sys)
				_, _ = c.Sockets() // the request the crash hits
			})
			require.NoError(t, srvErr)
			require.NoError(t, cliErr)
			require.True(t, connected)
			assert.ErrorIs(t, readErr, linux.ECONNRESET, "Read() on a connection of the crashed instance")
			assert.ErrorIs(t, writeErr, linux.EPIPE, "Write() on a connection of the crashed instance")
			assert.ErrorIs(t, acceptErr, linux.ECONNABORTED, "Accept() on a listener of the crashed instance")
			assert.Equal(t, "after the restart", again)
		})
	}
}
