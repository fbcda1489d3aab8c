package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	ttyhw "github.com/mkos/mkos/drivers/tty/hw"
	sysinit "github.com/mkos/mkos/user/init"
)

// Several machines: `mkos run --hosts N` and `mkos shell --hosts N --host
// K` (or a configuration with hosts:) boot a boot.Cluster instead of one
// System. run without -c runs the demo workload on every machine; run -c
// gives each machine its part of the script (boot.SplitOn: `on K CMD`),
// the rest to machine --host (1), and the run ends when every machine's
// shell has ended (the others' background jobs go on until then);
// shell puts the console on machine
// --host and runs the others headless.

// hostFlags are the flags of several machines, shared by run and shell.
type hostFlags struct {
	hosts int    // --hosts N
	host  int    // --host K: the machine of the console, or of -c's commands without `on`
	pcap  string // --pcap FILE
}

// addHostFlags adds --hosts, --host and --pcap.
func addHostFlags(cmd *cobra.Command, f *hostFlags) {
	fl := cmd.Flags()
	fl.IntVar(&f.hosts, "hosts", 0, "boot this many machines on one simulated switch (hostK, 10.0.0.K; the configuration's network: sets the link)")
	fl.IntVar(&f.host, "host", 1, "with several machines: the machine (from 1) whose console this is, or that runs -c's commands without 'on K'")
	fl.StringVar(&f.pcap, "pcap", "", "with several machines: write every frame on the wire to this file (pcap, virtual timestamps in ns)")
}

// configureHosts applies --hosts to cfg: N machines, keeping the file's
// entries for the first ones. It checks --host and --pcap.
func (f *hostFlags) configureHosts(cmd *cobra.Command, cfg *boot.Config) error {
	set := cmd.Flags().Changed
	if set("hosts") {
		if f.hosts < 1 || f.hosts > boot.MaxHosts {
			return fmt.Errorf("--hosts: %d is not a number of machines from 1 to %d", f.hosts, boot.MaxHosts)
		}
		list := make(boot.HostList, f.hosts)
		copy(list, cfg.Hosts)
		cfg.Hosts = list
	}
	n := len(cfg.Hosts)
	if (set("host") || set("pcap")) && n == 0 {
		return errors.New("--host and --pcap need several machines: give --hosts N or a hosts: section")
	}
	if cfg.Network != nil && n == 0 {
		return errors.New("the configuration's network: is the wire between machines: give --hosts N or a hosts: section")
	}
	if n > 0 && (f.host < 1 || f.host > n) {
		return fmt.Errorf("--host: %d is not a machine from 1 to %d", f.host, n)
	}
	return nil
}

// refuseOneMachine refuses the flags a cluster run does not take.
func refuseOneMachine(cmd *cobra.Command) error {
	for _, name := range []string{"host-fault", "top", "console", "console-input", "data-dir", "ds-redis"} {
		if cmd.Flags().Lookup(name) != nil && cmd.Flags().Changed(name) {
			return fmt.Errorf("--%s works on one machine; with several, leave it out", name)
		}
	}
	return nil
}

// clusterRun is a booted cluster with its trace and pcap files.
type clusterRun struct {
	c      *boot.Cluster
	trace  *traceFile
	pcap   *os.File
	closed bool
}

// bootHosts opens the trace and pcap files and boots cfg's machines, each
// changed by each (nil: as they are).
func bootHosts(cfg boot.Config, trace, pcap string, each func(k int, hc boot.Config) boot.Config) (*clusterRun, error) {
	r := &clusterRun{}
	var err error
	if r.trace, err = openTrace(trace); err != nil {
		return nil, err
	}
	o := boot.ClusterOptions{Tracer: r.trace.tracer(), Each: each}
	if pcap != "" {
		if r.pcap, err = os.Create(pcap); err != nil {
			r.trace.close()
			return nil, err
		}
		o.Pcap = r.pcap
	}
	if r.c, err = boot.BootCluster(cfg, o); err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

// close closes the machines and the files, and reports the first error.
func (r *clusterRun) close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	var err error
	if r.c != nil {
		err = r.c.Close()
	}
	err = errors.Join(err, r.trace.close())
	if r.pcap != nil {
		if cerr := r.pcap.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("pcap: %w", cerr))
		}
		r.pcap = nil
	}
	return err
}

// runHostsDemo is `mkos run --hosts N` without -c: the demo workload on
// every machine, and the summary of each and of the wire.
func runHostsDemo(cmd *cobra.Command, f *runFlags, cfg boot.Config) error {
	if err := refuseOneMachine(cmd); err != nil {
		return err
	}
	r, err := bootHosts(cfg, f.trace, f.hostFlags.pcap, func(_ int, hc boot.Config) boot.Config { return withDemoFS(hc) })
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.c.PrepareDisks(cmd.ErrOrStderr()); err != nil {
		return err
	}
	sum, runErr := r.c.Run()
	if sum == nil {
		return halted(cmd, runErr) // the watchdog stopped the run: no summary
	}
	if err := r.close(); err != nil {
		return err
	}
	if err := writeCluster(cmd.OutOrStdout(), sum, f.json); err != nil {
		return err
	}
	if runErr != nil {
		return halted(cmd, runErr)
	}
	for k, h := range sum.Hosts {
		if err := demoOutcome(r.c.Config.HostConfig(k+1), h.Summary); err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
	}
	return nil
}

// writeCluster prints the summary, as JSON when asked.
func writeCluster(w io.Writer, sum *boot.ClusterSummary, asJSON bool) error {
	if asJSON {
		return sum.JSON(w)
	}
	sum.Write(w)
	return nil
}

// runHostsCommands is `mkos run --hosts N -c 'CMDS'`: user space on every
// machine; each runs its part of the script (`on K CMD`) with the host's
// standard output and error, machine --host the commands without `on`
// and the standard input. The run ends when every machine's shell has
// ended (what they left running in the background is cut off then), and
// mkos exits with machine --host's shell's status.
func runHostsCommands(cmd *cobra.Command, f *runFlags, cfg boot.Config) error {
	if err := refuseOneMachine(cmd); err != nil {
		return err
	}
	n, primary := len(cfg.Hosts), f.hostFlags.host
	scripts, err := boot.SplitOn(f.cmds, n, primary)
	if err != nil {
		return err
	}
	for k := 1; k <= n; k++ {
		if run := cfg.Hosts[k-1].Run; run != "" {
			scripts[k-1] += "\n" + run
		}
	}
	r, err := bootHosts(cfg, f.trace, f.hostFlags.pcap, func(_ int, hc boot.Config) boot.Config {
		return withMaxTime(cmd, f, boot.UserSpace(fsConfig(hc)))
	})
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.c.PrepareDisks(cmd.ErrOrStderr()); err != nil {
		return err
	}
	var status *int
	for k := 1; k <= n; k++ {
		con := &boot.Console{In: strings.NewReader(""), Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()}
		o := sysinit.Options{Shell: "/bin/sh", Argv: []string{"sh", "-c", scripts[k-1]}}
		if k == primary {
			con.In = cmd.InOrStdin()
		} else {
			o.Stay = true // the machine serves what it started until the run ends
		}
		run, err := r.c.StartInit(k, o, con, true)
		if err != nil {
			return err
		}
		if k == primary {
			status = &run.Status
		}
	}
	sum, runErr := r.c.Run()
	if runErr != nil {
		return halted(cmd, runErr)
	}
	if err := r.close(); err != nil {
		return err
	}
	if f.json {
		if err := sum.JSON(cmd.OutOrStdout()); err != nil {
			return err
		}
	}
	return shellOutcome(r.c.Host(primary), *status)
}

// runHostsShell is `mkos shell --hosts N --host K`: the console on
// machine K, the others headless (their hosts: run: commands, then they
// serve until the run ends); mkos exits with K's shell's status.
func runHostsShell(cmd *cobra.Command, f *shellFlags, cfg boot.Config) error {
	if err := refuseOneMachine(cmd); err != nil {
		return err
	}
	in, out := cmd.InOrStdin(), cmd.OutOrStdout()
	term := terminalFd(in)
	if term >= 0 {
		out = ttyhw.RawOutput(out)
	}
	primary := f.hostFlags.host
	r, err := bootHosts(cfg, f.trace, f.hostFlags.pcap, func(k int, hc boot.Config) boot.Config {
		hc = withMaxTime(cmd, &f.runFlags, boot.UserSpace(fsConfig(hc)))
		if k == primary {
			hc.Console = &boot.ConsoleConf{In: in, Out: out, Interactive: term >= 0}
		}
		return hc
	})
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.c.PrepareDisks(cmd.ErrOrStderr()); err != nil {
		return err
	}
	status, err := startSession(r.c.Host(primary), f.init, f.shellArgs())
	if err != nil {
		return err
	}
	r.c.Await(primary)
	for k := 1; k <= len(cfg.Hosts); k++ {
		if k == primary {
			continue
		}
		con := &boot.Console{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}
		o := sysinit.Options{Shell: "/bin/sh", Argv: []string{"sh", "-c", cfg.Hosts[k-1].Run}, Stay: true}
		if _, err := r.c.StartInit(k, o, con, false); err != nil {
			return err
		}
	}
	if term >= 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "mkos: the console is %s's, this terminal; exit or ^D ends the shell, ^] detaches\n", cfg.HostNameOf(primary))
		restore, err := ttyhw.MakeRaw(term)
		if err != nil {
			return fmt.Errorf("raw mode: %w", err)
		}
		defer restore()
	}
	sum, err := r.c.Run()
	if err != nil {
		return halted(cmd, err)
	}
	if err := r.close(); err != nil {
		return err
	}
	if f.json {
		if err := sum.JSON(out); err != nil {
			return err
		}
	}
	return shellOutcome(r.c.Host(primary), *status)
}
