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
	"github.com/mkos/mkos/user/ulib"
)

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
// acceptOne listens on a (TCP, backlog 1) and returns the first
// connection accepted.
func acceptOne(p *ulib.Proc, a netip.AddrPort) (int, error) {
	ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		return -1, err
	}
	if err := p.Bind(ls, a); err != nil {
		return -1, err
	}
	if err := p.Listen(ls, 1); err != nil {
		return -1, err
	}
	c, _, err := p.Accept(ls)
	return c, err
}

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

// A child inherits a socket as its standard output (echo writes into
// it); the parent closes its own descriptor first, so the connection ends
// when the child exits: the peer reads the child's bytes, then end of
// file.
func TestNetChildInheritsSocket(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			addr := netip.MustParseAddrPort("127.0.0.1:2000")
			var got []byte
			var srvErr, parentErr error
			runNet(t, netConfig(mode), func(p *ulib.Proc) {
				srvErr = func() error {
					c, err := acceptOne(p, addr)
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
					pid, err := p.SpawnFiles("/bin/echo", []string{"echo", "hello from the child"}, nil, []int{-1, fd, -1}, nil)
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
			assert.Equal(t, "hello from the child\n", string(got))
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
					c, err := acceptOne(p, addr)
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

// With a nic: section the net server sends through the NIC driver and
// speaks with the card's address: ifconfig shows eth0 up with the card's
// MAC, and a datagram to a neighbour leaves as frames (an ARP request).
func TestNetWithNIC(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			cfg := netConfig(mode)
			cfg.NIC = &boot.NICConf{MAC: "02:00:00:00:00:07"}
			var ifs []netproto.Interface
			var err error
			runNet(t, cfg, func(p *ulib.Proc) {
				err = func() error {
					fd, err := p.Socket(linux.AF_INET, linux.SOCK_DGRAM, 0)
					if err != nil {
						return err
					}
					if _, err := p.SendTo(fd, []byte("hello"), netip.MustParseAddrPort("10.0.0.2:9")); err != nil {
						return err
					}
					_ = p.Sleep(1_000_000)
					ifs, err = p.Interfaces()
					return err
				}()
			})
			require.NoError(t, err)
			require.Len(t, ifs, 2)
			eth := ifs[1]
			assert.Equal(t, "eth0", eth.Name)
			assert.Equal(t, "02:00:00:00:00:07", eth.MAC)
			assert.True(t, eth.Up, "eth0 up")
			assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("10.0.0.1/24")}, eth.Addrs)
			assert.Positive(t, eth.TxPackets, "eth0 TxPackets")
		})
	}
}

// A ping socket (SOCK_DGRAM, IPPROTO_ICMP): an echo request to the
// machine's own address comes back as an echo reply (type 0) with the
// same sequence number and payload, from that address.
func TestNetPingSocket(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			self := netip.MustParseAddrPort("10.0.0.1:0")
			var reply []byte
			var from netip.AddrPort
			var err error
			runNet(t, netConfig(mode), func(p *ulib.Proc) {
				err = func() error {
					fd, err := p.Socket(linux.AF_INET, linux.SOCK_DGRAM, linux.IPPROTO_ICMP)
					if err != nil {
						return err
					}
					req := []byte{8, 0, 0, 0, 0, 0, 0, 7, 'm', 'k', 'o', 's'} // echo request, seq 7
					if _, err := p.SendTo(fd, req, self); err != nil {
						return err
					}
					buf := make([]byte, 64)
					n, a, err := p.RecvFrom(fd, buf)
					reply, from = buf[:n], a
					return err
				}()
			})
			require.NoError(t, err)
			require.Len(t, reply, 12)
			assert.Equal(t, byte(0), reply[0], "ICMP type (echo reply)")
			assert.Equal(t, byte(7), reply[7], "sequence number")
			assert.Equal(t, "mkos", string(reply[8:]))
			assert.Equal(t, self.Addr(), from.Addr(), "RecvFrom() sender")
		})
	}
}

// Non-blocking sockets never wait: Accept with no connection and Recv
// with nothing there fail with EAGAIN, Connect with EINPROGRESS; poll
// says when the connection is made (POLLOUT) and when one waits to be
// accepted (POLLIN).
func TestNetNonblocking(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			addr := netip.MustParseAddrPort("127.0.0.1:2004")
			var acceptErr, connectErr, recvErr, err error
			var outReady, inReady int16
			runNet(t, netConfig(mode), func(p *ulib.Proc) {
				err = func() error {
					ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM|linux.SOCK_NONBLOCK, 0)
					if err != nil {
						return err
					}
					if err := p.Bind(ls, addr); err != nil {
						return err
					}
					if err := p.Listen(ls, 1); err != nil {
						return err
					}
					_, _, acceptErr = p.Accept(ls)
					fd, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM|linux.SOCK_NONBLOCK, 0)
					if err != nil {
						return err
					}
					connectErr = p.Connect(fd, addr)
					pf := []ulib.PollFd{{Fd: fd, Events: linux.POLLOUT}, {Fd: ls, Events: linux.POLLIN}}
					if _, err := p.PollFds(pf[:1], -1); err != nil {
						return err
					}
					outReady = pf[0].Revents
					if _, err := p.PollFds(pf[1:], -1); err != nil {
						return err
					}
					inReady = pf[1].Revents
					c, _, err := p.Accept(ls)
					if err != nil {
						return err
					}
					if err := p.SetNonblock(c, true); err != nil {
						return err
					}
					_, recvErr = p.Recv(c, make([]byte, 10))
					return nil
				}()
			})
			require.NoError(t, err)
			assert.ErrorIs(t, acceptErr, linux.EAGAIN, "Accept() with no connection")
			assert.ErrorIs(t, connectErr, linux.EINPROGRESS, "Connect() of a non-blocking socket")
			assert.Equal(t, int16(linux.POLLOUT), outReady, "PollFds(POLLOUT) once connected")
			assert.Equal(t, int16(linux.POLLIN), inReady, "PollFds(POLLIN) of the listener")
			assert.ErrorIs(t, recvErr, linux.EAGAIN, "Recv() with nothing there")
		})
	}
}

// netstat after a connection closed: the side that closed first waits in
// TIME_WAIT with no handle on it, and no queue reads negative.
func TestNetNetstatAfterClose(t *testing.T) {
	addr := netip.MustParseAddrPort("127.0.0.1:2005")
	var socks []netproto.SocketInfo
	var srvErr, cliErr error
	runNet(t, netConfig(boot.Micro), func(p *ulib.Proc) {
		srvErr = func() error {
			c, err := acceptOne(p, addr)
			if err != nil {
				return err
			}
			_, err = readAll(p, c)
			return err
		}()
	}, func(p *ulib.Proc) {
		cliErr = func() error {
			fd, err := dialRetry(p, addr)
			if err != nil {
				return err
			}
			if err := p.Close(fd); err != nil {
				return err
			}
			_ = p.Sleep(1_000_000)
			socks, err = p.NetSockets()
			return err
		}()
	})
	require.NoError(t, srvErr)
	require.NoError(t, cliErr)
	timeWait := 0
	for _, s := range socks {
		assert.GreaterOrEqual(t, s.RecvQ, 0, "%+v", s)
		assert.GreaterOrEqual(t, s.SendQ, 0, "%+v", s)
		if s.State == "TIME_WAIT" {
			timeWait++
			assert.Equal(t, 0, s.Handles, "handles on the TIME_WAIT connection")
		}
	}
	assert.Equal(t, 1, timeWait, "TIME_WAIT connections in %+v", socks)
}
