package tests

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// netConfig is a system with a network (net: with defaults: the loopback
// and 10.0.0.1/24, no NIC) in mode, and the servers programs need.
func netConfig(mode boot.Mode) boot.Config {
	cfg := boot.UserSpace(boot.Default())
	cfg.Mode = mode
	cfg.MaxTime = boot.Duration(30 * time.Second)
	cfg.Net = &boot.NetConf{}
	return cfg
}

// runNet boots cfg and runs each body in a task of its own (started in
// order), then the system to its end.
func runNet(t testing.TB, cfg boot.Config, bodies ...func(p *ulib.Proc)) *boot.System {
	t.Helper()
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = sys.Close() })
	for i, body := range bodies {
		_, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "prog" + string(rune('a'+i)), Body: func(s ipc.Sys) { body(ulib.New(s)) }})
		require.NoError(t, err)
	}
	_, err = sys.Run()
	require.NoError(t, err)
	return sys
}

var echoAddr = netip.MustParseAddrPort("127.0.0.1:7")

// echoServer accepts one connection on addr and echoes it until end of
// file, through read and write on the socket descriptor.
func echoServer(t testing.TB, addr netip.AddrPort, errs *[]error) func(p *ulib.Proc) {
	return func(p *ulib.Proc) {
		fail := func(err error) { *errs = append(*errs, err) }
		ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
		if err != nil {
			fail(err)
			return
		}
		if err := p.Bind(ls, addr); err != nil {
			fail(err)
			return
		}
		if err := p.Listen(ls, 4); err != nil {
			fail(err)
			return
		}
		c, _, err := p.Accept(ls)
		if err != nil {
			fail(err)
			return
		}
		buf := make([]byte, 4096)
		for {
			n, err := p.Read(c, buf)
			if err != nil {
				fail(err)
				return
			}
			if n == 0 {
				break
			}
			if _, err := p.Write(c, buf[:n]); err != nil {
				fail(err)
				return
			}
		}
		_ = p.Close(c)
		_ = p.Close(ls)
	}
}

// TCP over the loopback in every mode: a client connects to an echo
// server, sends 200 KiB (many windows, many segments), reads it all back
// intact, and shuts down; the server sees end of file.
func TestNetTCPEchoLoopback(t *testing.T) {
	for _, mode := range boot.Modes {
		t.Run(string(mode), func(t *testing.T) {
			var srvErrs []error
			var got []byte
			var clientErr error
			var peer netip.AddrPort
			want := bytes.Repeat([]byte("mkos network "), 200<<10/13)
			runNet(t, netConfig(mode), echoServer(t, echoAddr, &srvErrs), func(p *ulib.Proc) {
				clientErr = func() error {
					_ = p.Sleep(1_000_000) // the server listens
					fd, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
					if err != nil {
						return err
					}
					if err := p.Connect(fd, echoAddr); err != nil {
						return err
					}
					if peer, err = p.PeerName(fd); err != nil {
						return err
					}
					done := make(chan struct{})
					_ = done
					sent := 0
					buf := make([]byte, 8192)
					for sent < len(want) || len(got) < len(want) {
						if sent < len(want) {
							n, err := p.Send(fd, want[sent:min(sent+16<<10, len(want))])
							if err != nil {
								return err
							}
							sent += n
						}
						if sent == len(want) {
							if err := p.Shutdown(fd, linux.SHUT_WR); err != nil {
								return err
							}
							sent++ // shut once
						}
						n, err := p.Recv(fd, buf)
						if err != nil {
							return err
						}
						if n == 0 {
							break
						}
						got = append(got, buf[:n]...)
					}
					return p.Close(fd)
				}()
			})
			require.NoError(t, clientErr)
			assert.Empty(t, srvErrs)
			assert.Equal(t, echoAddr, peer, "PeerName()")
			assert.Equal(t, len(want), len(got), "echoed bytes")
			assert.True(t, bytes.Equal(want, got), "echoed bytes differ")
		})
	}
}
