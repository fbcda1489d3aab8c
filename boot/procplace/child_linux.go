//go:build linux

package procplace

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"gvisor.dev/gvisor/pkg/flipcall"

	"github.com/mkos/mkos/ipc"
)

// windowFD is the descriptor the window arrives on: os/exec gives
// ExtraFiles[0] to the child as descriptor 3.
const windowFD = 3

// Child is the server process's main: args are what follows SubCommand
// (SERVICE IMPL OFFSET LENGTH). It reads the configuration from standard
// input, maps the window, enters the sandbox, connects to the proxy,
// builds the server with mk (which may ask the proxy's host side already)
// and serves through the proxy until the system halts. It returns only on
// an error before serving.
func Child(args []string, mk MakeServer) error {
	if len(args) != 4 {
		return fmt.Errorf("%s: want SERVICE IMPL OFFSET LENGTH, got %q", SubCommand, args)
	}
	service, impl := args[0], args[1]
	off, err1 := strconv.ParseInt(args[2], 10, 64)
	length, err2 := strconv.Atoi(args[3])
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%s: bad window %s %s", SubCommand, args[2], args[3])
	}
	config, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	os.Stdin.Close()
	ep, err := flipcall.NewEndpoint(flipcall.ClientSide, flipcall.PacketWindowDescriptor{FD: windowFD, Offset: off, Length: length})
	if err != nil {
		return err
	}
	_ = os.NewFile(windowFD, "window").Close() // mapped: the descriptor is no longer needed
	if err := sandbox(DefaultLimits); err != nil {
		return err
	}
	if service == rawEcho {
		return echoRaw(ep)
	}
	if err := ep.Connect(); err != nil {
		return err
	}
	sys := newRemoteSys(ep.Data(), ep.SendRecv, func(err error) {
		fmt.Fprintf(os.Stderr, "mkos serve %s: the proxy is gone: %v\n", service, err)
		os.Exit(75)
	})
	srv, err := mk(config, impl, sys.Host) // after Connect: a server may ask the host side as it starts
	if err != nil {
		return err
	}
	return ipc.Serve(sys, service, srv)
}

// echoRaw answers every round trip at once: MeasureRoundTrip's peer.
func echoRaw(ep *flipcall.Endpoint) error {
	if err := ep.Connect(); err != nil {
		return err
	}
	for {
		if _, err := ep.SendRecv(0); err != nil {
			os.Exit(0)
		}
	}
}
