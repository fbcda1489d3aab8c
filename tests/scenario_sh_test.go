package tests

// The `sh` scenario command: boot a system with user space (pm, the file
// server on a fresh in-memory disk, pipes, memory devices) and run a shell
// script through init and /bin/sh -c, as `mkos run -c` does.
//
//	sh [--modes=micro,mono,hybrid] [--tty] <run flags>
//	SCRIPT LINES…
//	----
//	what the script printed: its standard output, and its standard error
//	with each line marked "! "; then "status N", the shell's status.
//
// The script runs in each of the modes (all three by default); when the
// transcripts agree they are printed once, else each under "== MODE ==".
//
// With --tty the script is typed at the console instead (the tty driver,
// boot's console: section; ^C ^D ^Z ^A ^E ^R ^U ^W ^? and ^[ (escape) in it
// are the control keys), init runs an interactive shell on it, and the
// transcript is the screen, its control bytes shown as ^X (^M^[[K is the
// line editor redrawing a line).

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc/fsproto"
	sysinit "github.com/mkos/mkos/user/init"
)

// sh runs the block's input as a shell script in each mode.
func (s *scenario) sh(args []string, script []string) (string, error) {
	modes := []boot.Mode{boot.Micro, boot.Mono, boot.Hybrid}
	tty := false
	for len(args) > 0 && (args[0] == "--tty" || strings.HasPrefix(args[0], "--modes=")) {
		if list, ok := strings.CutPrefix(args[0], "--modes="); ok {
			modes = nil
			for _, m := range strings.Split(list, ",") {
				modes = append(modes, boot.Mode(m))
			}
		} else {
			tty = true
		}
		args = args[1:]
	}
	cfg, rest, err := s.flags("sh", args)
	if err != nil {
		return "", err
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("sh: unexpected arguments %q", rest)
	}
	outs := make([]string, len(modes))
	for i, m := range modes {
		cfg.Mode = m
		if tty {
			outs[i] = typeAtConsole(cfg, strings.Join(script, "\n")+"\n")
		} else {
			outs[i] = runShell(cfg, strings.Join(script, "\n"), "")
		}
	}
	same := true
	for _, o := range outs {
		same = same && o == outs[0]
	}
	if same {
		return outs[0], nil
	}
	var sb strings.Builder
	for i, m := range modes {
		fmt.Fprintf(&sb, "== %s ==\n%s", m, outs[i])
	}
	return sb.String(), nil
}

// runShell boots cfg with user space, runs script with sh -c and returns
// the consoleLog. stdin is the console's standard input.
func runShell(cfg boot.Config, script, stdin string) string {
	var t consoleLog
	sys, err := bootUser(cfg)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	defer sys.Close()
	con := &boot.Console{In: strings.NewReader(stdin), Out: t.writer(""), Err: t.writer("! ")}
	run, err := sys.StartInit(sysinit.Options{Argv: []string{"sh", "-c", script}}, con)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	if err := sys.Kernel.Run(); err != nil {
		fmt.Fprintf(t.writer(""), "halted: %v\n", err)
	}
	fmt.Fprintf(t.writer(""), "status %d\n", run.Status)
	return t.String()
}

// typeAtConsole boots cfg with a console whose keyboard types keys, runs
// init with its default shell on the console, and returns the screen.
func typeAtConsole(cfg boot.Config, keys string) string {
	keys = strings.NewReplacer("^C", "\x03", "^D", "\x04", "^A", "\x01", "^E", "\x05",
		"^R", "\x12", "^U", "\x15", "^W", "\x17", "^[", "\x1b", "^?", "\x7f", "^Z", "\x1a").Replace(keys)
	var screen bytes.Buffer
	cfg.Console = &boot.ConsoleConf{Input: keys, Out: &screen}
	sys, err := bootUser(cfg)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	defer sys.Close()
	run, err := sys.StartInit(sysinit.Options{}, nil)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	if err := sys.Kernel.Run(); err != nil {
		fmt.Fprintf(&screen, "halted: %v\n", err)
	}
	fmt.Fprintf(&screen, "\nstatus %d\n", run.Status)
	return visibleControls.Replace(screen.String())
}

// visibleControls shows the screen's control bytes as ^X: the line
// editor's redraws (^M^[[K) stay readable in a transcript.
var visibleControls = strings.NewReplacer("\r", "^M", "\x1b", "^[", "\b", "^H")

// bootUser boots cfg as `mkos run -c` does: the file server on a fresh
// formatted disk in memory, and the servers programs need
// (boot.UserSpace).
func bootUser(cfg boot.Config) (*boot.System, error) {
	cfg = boot.UserSpace(cfg)
	cfg.Servers = append(cfg.Servers, boot.ServerConf{Name: fsproto.Name})
	cfg.Disk = &boot.DiskConf{Size: 16 << 20, Kind: hw.KindSSD}
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return nil, err
	}
	if err := sys.FormatDisk(); err != nil {
		sys.Close()
		return nil, err
	}
	return sys, nil
}

// consoleLog collects the console's output in order, marking the lines
// of the standard error.
type consoleLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *consoleLog) writer(mark string) *markWriter { return &markWriter{t: t, mark: mark} }

func (t *consoleLog) String() string { return t.buf.String() }

// markWriter writes one stream into the consoleLog.
type markWriter struct {
	t    *consoleLog
	mark string
	mid  bool // inside a line
}

func (w *markWriter) Write(p []byte) (int, error) {
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	for _, c := range p {
		if !w.mid {
			w.t.buf.WriteString(w.mark)
		}
		w.t.buf.WriteByte(c)
		w.mid = c != '\n'
	}
	return len(p), nil
}
