package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/live"
	"github.com/mkos/mkos/live/web"
)

type webFlags struct {
	liveFlags
	listen string
}

func newWebCmd() *cobra.Command {
	var f webFlags
	cmd := &cobra.Command{
		Use:   "web",
		Short: "Boot a system with a shell and watch and drive it from a browser",
		Long: `Boot user space — the file server on a disk (--disk IMAGE, or 16 MiB in
memory), pm, mm, pipes, the memory devices, rs, and the configuration's
servers — with a shell on the console, and serve a page on the loopback:
the console, a diagram of the tasks with messages drawn as they cross, the
CPUs as a scrolling timeline, the services with their rates and latencies,
the tasks, the restart log, and buttons for every control (pause, resume,
step, speed; crash, hang and restart a service; kill a task).

The page and its script are in the binary: no network is needed. The API:
GET /api/snapshot (the model as JSON), GET /api/events (Server-Sent Events
of messages and log entries), POST /api/control (a control as text, like
"crash fs"), GET /api/console (a WebSocket to the console). Requests from
pages of other origins are refused.

--clients N adds the demo workload's clients, which call echo and null, for
traffic to watch. The server runs until ^C.`,
		Example: `  mkos web
  mkos web --listen 127.0.0.1:9000 --cpus 2 --clients 3 --calls 100000 --speed 0.01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runWeb(cmd, &f) },
	}
	fl := cmd.Flags()
	f.add(fl, "max")
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8080", "address to serve on (a loopback address)")
	fl.StringVar(&f.disk, "disk", "", "the disk's image file (created if missing; default: in memory)")
	fl.StringVar(&f.user, "user", "", "run the shell as this user of /etc/passwd (default root)")
	return cmd
}

// checkLoopback refuses an address that is not on the loopback: the page
// drives the system, and has no login.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--listen %q: not a loopback address (127.0.0.1, ::1, localhost): the page has no login", addr)
	}
	return nil
}

func runWeb(cmd *cobra.Command, f *webFlags) error {
	if err := checkLoopback(f.listen); err != nil {
		return err
	}
	r, con, err := bootWebSystem(cmd, f)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		r.sys.Close()
		return err
	}
	srv := &http.Server{Handler: (&web.Server{Model: r.model, Console: con}).Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(cmd.ErrOrStderr(), "mkos web: http://%s/ (^C stops)\n", ln.Addr())
	r.start()
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	r.stop()
	con.Close()
	shut, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	srv.Shutdown(shut)
	if err := r.wait(cmd); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// bootWebSystem boots user space with a console for the web under a model,
// and starts init with a shell on it.
func bootWebSystem(cmd *cobra.Command, f *webFlags) (*liveRun, *live.Console, error) {
	cfg, err := f.configure(cmd)
	if err != nil {
		return nil, nil, err
	}
	w := cfg.Workload
	cfg = withMaxTime(cmd, &f.runFlags, boot.UserSpace(fsConfig(cfg)))
	if cmd.Flags().Changed("clients") {
		cfg.Workload = w
	}
	con := live.NewConsole()
	cfg.Console = &boot.ConsoleConf{In: con.In, Out: con, Interactive: true}
	if err := cfg.Check(); err != nil {
		return nil, nil, err
	}
	r, err := bootLive(cfg, &f.liveFlags)
	if err != nil {
		return nil, nil, err
	}
	if err := formatIfBlank(r.sys, cfg.Disk.Image, cmd.ErrOrStderr()); err != nil {
		r.sys.Close()
		return nil, nil, err
	}
	if _, err := startSession(r.sys, "/bin/sh", nil); err != nil {
		r.sys.Close()
		return nil, nil, err
	}
	return r, con, nil
}
