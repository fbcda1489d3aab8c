package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/sched"
)

// runFlags are the flags of `mkos run`; each overrides the configuration
// file when set.
type runFlags struct {
	config, mode, policy, profile, trace string
	isolation                            string // --isolation: task or process
	hostFaults                           string // --host-fault SERVICE:KIND,...
	disk, diskKind, iosched              string
	seed                                 uint64
	cpus, hz, quantum                    int
	clients, calls, crashAt              int
	maxTime                              time.Duration
	watchdog                             time.Duration // --watchdog: host time without a system call before the run stops
	json                                 bool
	cmds                                 string // -c: shell commands instead of the demo
	console                              bool   // --console: the tty on mkos's stdin and stdout
	consoleInput                         string // --console-input: typed at the console
	dataDir                              string // --data-dir: ds's bbolt store
	dsRedis                              string // --ds-redis: ds's Redis server
	noPI, globalQueue                    bool   // scheduling knobs
	user                                 string // --user: who the shell runs as
	workload                             string // --workload: demo or pathfinder
	hostFlags                                   // --hosts, --host, --pcap: several machines (runhosts.go)
	nodes                                int    // --nodes: a cluster of nodes in this process (cluster.go)
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Boot a system, run the demo workload and print a summary",
		Long: `Boot the kernel with the echo and null servers placed as the mode says, run the
demo workload (clients calling echo and null with computation in between) and
print what happened: virtual time, system calls, messages, context switches,
per-service statistics and restarts.

With --disk IMAGE (or a disk: section in the configuration file) the system
also has a simulated disk backed by that host file, created if missing, its
driver (the disk server) and the file server; each demo client keeps a log
file, /tmp/clientN, writing a record every round and syncing it at the end,
so the disk's latency model and I/O scheduler show in the summary's disk
line.

With -c 'COMMANDS' mkos boots user space instead — the file server on the
disk (16 MiB in memory without --disk; a blank image is formatted), pm, pipes,
the memory devices — and init runs /bin/sh -c COMMANDS with the host's
standard input, output and error; mkos exits with the shell's status.

A server that panics in user space is restarted by the reincarnation
server (rs) and the clients carry on; a server that panics in the kernel is a kernel panic, and
mkos exits with status 3.

A task that runs its Go code for --watchdog of host time (5s; the
configuration's watchdog: key) without a system call — an infinite loop,
which nothing can preempt — stops the run: mkos names the task, its last
system call and the virtual time, and exits with status 4.

--max-time stops the run at that virtual time (with -c: no limit unless
given); a run it cuts short exits with status 5. A demo whose clients did
not all finish, got wrong answers or saw failed calls exits with 6; one
that calls a service the configuration lacks, with 7 ("mkos help" lists
every status).

With --hosts N (or a hosts: section in the configuration) mkos boots N
machines, host1 … hostN with addresses 10.0.0.1 … 10.0.0.N/24, each with
its own kernel, servers and disk, on one simulated switch (the
configuration's network: section: latency, speed, loss, reordering,
duplication, MTU), all stepped on one virtual timeline: the same seed gives
the same run on every machine, frame for frame. Each machine's /etc/hosts
names them all. Without -c every machine runs the demo; with -c, a
top-level command written 'on K CMD' runs on machine K and the others on
machine --host (1); each machine's commands start at virtual time 0, so
order them across machines with sleep. The run ends when machine --host's
shell does. --trace writes one trace with each event's machine ("host");
--pcap writes every frame on the wire.`,
		Example: `  mkos run
  mkos run --mode mono --seed 7
  mkos run --isolation process -c 'echo hi > /f; cat /f'
  mkos run --mode micro --crash-at 5 --trace trace.jsonl
  mkos run --workload pathfinder --no-pi
  mkos run --config boot.yaml --cpus 2 --policy prio
  mkos run --disk disk.img --disk-kind ssd --iosched sstf
  mkos run -c 'echo hello | wc -c; ls -l /; ps'
  mkos run --user user -c 'id; touch /etc/x'
  mkos run --nodes 2 --config cluster.yaml
  mkos run --disk disk.img -c 'mkdir -p /d; echo hello > /d/a; cat /d/a; ls -l /d'
  mkos run --hosts 3 --trace t.jsonl --pcap wire.pcap
  mkos run --hosts 2 -c 'on 2 hostname; hostname; cat /etc/hosts'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runRun(cmd, &f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.config, "config", "", "boot configuration file (YAML)")
	fl.StringVarP(&f.cmds, "cmd", "c", "", "run these shell commands with /bin/sh (file server, pm, pipes) instead of the demo workload, and exit with the shell's status")
	fl.StringVar(&f.mode, "mode", "", "placement: micro, mono or hybrid")
	fl.StringVar(&f.isolation, "isolation", "", "isolation of user-space servers: task (a coroutine in mkos) or process (each a sandboxed host process; Linux)")
	fl.StringVar(&f.hostFaults, "host-fault", "", "SERVICE:KIND,...: break the host process of a process-placed service as it receives its first request ("+hostFaultKinds()+")")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the kernel's random generator")
	fl.IntVar(&f.cpus, "cpus", 0, "number of virtual CPUs")
	fl.StringVar(&f.policy, "policy", "", "scheduling policy: "+strings.Join(sched.Names(), ", "))
	fl.IntVar(&f.quantum, "quantum", 0, "scheduling quantum in ticks")
	fl.IntVar(&f.hz, "hz", 0, "clock ticks per second")
	fl.StringVar(&f.profile, "profile", "", "cost profile: "+strings.Join(kernel.ProfileNames(), ", "))
	fl.StringVar(&f.trace, "trace", "", "write every kernel event to this file as JSON lines")
	fl.StringVar(&f.workload, "workload", "", "the workload: demo (echo and null clients; the default) or pathfinder (priority inversion over IPC: compare with --no-pi; policy prio)")
	fl.IntVar(&f.clients, "clients", 0, "number of demo clients (default: the configuration's, 3)")
	fl.IntVar(&f.calls, "calls", 0, "rounds per demo client (default: the configuration's, 20)")
	fl.IntVar(&f.crashAt, "crash-at", 0, "make client 0 crash the echo server before this round (0: never)")
	fl.DurationVar(&f.maxTime, "max-time", 0, "stop at this virtual time (default: the configuration's, 10s; with -c none; 0: none); mkos exits with status 5 if work was left")
	addWatchdogFlag(fl, &f)
	fl.BoolVar(&f.json, "json", false, "print the summary as JSON (with -c: after the shell's output)")
	fl.StringVar(&f.disk, "disk", "", "boot with a disk backed by this image file (created if missing; \"\" keeps it in memory)")
	fl.StringVar(&f.diskKind, "disk-kind", "", "the disk's latency model: "+strings.Join(hw.Kinds, ", "))
	fl.StringVar(&f.iosched, "iosched", "", "the disk driver's I/O scheduler: "+strings.Join(disk.SchedulerNames(), ", "))
	fl.BoolVar(&f.console, "console", false, "give the system a console, the tty: its keyboard is mkos's standard input (read as a script), its screen the standard output")
	fl.StringVar(&f.consoleInput, "console-input", "", "give the system a console and type this text at it")
	fl.StringVar(&f.dataDir, "data-dir", "", "keep the data store (ds) in a bbolt file in this directory, across runs")
	fl.StringVar(&f.dsRedis, "ds-redis", "", "keep the data store (ds) in the Redis server at this host:port, across runs and shared by systems (docs/cluster.md)")
	fl.BoolVar(&f.noPI, "no-pi", false, "turn off priority inheritance over IPC, to see priority inversion (with --workload pathfinder)")
	fl.BoolVar(&f.globalQueue, "global-queue", false, "one run queue for all CPUs instead of one each with a load balancer")
	fl.StringVar(&f.user, "user", "", "with -c: run the shell as this user of /etc/passwd (default root)")
	addHostFlags(cmd, &f.hostFlags)
	fl.IntVar(&f.nodes, "nodes", 0, "run this many nodes in this process over an embedded NATS server, as the configuration's nodes: say (docs/cluster.md)")
	return cmd
}

// config builds the boot configuration: the file (or the defaults), then the
// flags that were set.
func (f *runFlags) configure(cmd *cobra.Command) (boot.Config, error) {
	cfg := boot.Default()
	if f.config != "" {
		c, err := boot.Load(f.config)
		if err != nil {
			return cfg, err
		}
		cfg = c
	}
	set := cmd.Flags().Changed
	if set("mode") {
		cfg.Mode = boot.Mode(f.mode)
	}
	if set("isolation") {
		cfg.Isolation = f.isolation
	}
	if set("seed") {
		cfg.Seed = f.seed
	}
	if set("cpus") {
		cfg.CPUs = f.cpus
	}
	if set("policy") {
		cfg.Policy = f.policy
	}
	if set("quantum") {
		cfg.QuantumTicks = f.quantum
	}
	if set("hz") {
		cfg.HZ = f.hz
	}
	if set("profile") {
		cfg.Profile = f.profile
	}
	if set("clients") {
		cfg.Workload.Clients = f.clients
	}
	if set("calls") {
		cfg.Workload.Calls = f.calls
	}
	if set("workload") {
		cfg.Workload.Kind = f.workload
		if f.workload == boot.WorkloadPathfinder && !set("policy") && f.config == "" {
			cfg.Policy = "prio" // its tasks have priorities
		}
	}
	if set("crash-at") {
		cfg.Workload.CrashAt = f.crashAt
	}
	if set("data-dir") {
		cfg.DataDir = f.dataDir
	}
	if set("ds-redis") {
		cfg.DS.Backend, cfg.DS.Addr = "redis", f.dsRedis
	}
	if set("no-pi") {
		pi := !f.noPI
		cfg.PriorityInheritance = &pi
	}
	if set("global-queue") {
		cfg.GlobalQueue = f.globalQueue
	}
	if set("user") {
		cfg.User = f.user
	}
	if set("max-time") {
		cfg.MaxTime = boot.Duration(f.maxTime)
	}
	if set("watchdog") {
		cfg.Watchdog = boot.Duration(f.watchdog)
	}
	if err := f.configureDisk(set, &cfg); err != nil {
		return cfg, err
	}
	f.configureConsole(cmd, &cfg)
	if err := f.configureHosts(cmd, &cfg); err != nil {
		return cfg, err
	}
	return cfg, cfg.Check()
}

// configureDisk applies --disk, --disk-kind and --iosched. The last two
// change a disk that --disk or the file's disk: section configures.
func (f *runFlags) configureDisk(set func(string) bool, cfg *boot.Config) error {
	if set("disk") {
		d := boot.DiskConf{}
		if cfg.Disk != nil {
			d = *cfg.Disk
		}
		d.Image = f.disk
		cfg.Disk = &d
	}
	if (set("disk-kind") || set("iosched")) && cfg.Disk == nil {
		return errors.New("--disk-kind and --iosched need a disk: give --disk IMAGE or a disk: section")
	}
	if set("disk-kind") {
		cfg.Disk.Kind = f.diskKind
	}
	if set("iosched") {
		cfg.Disk.IOSched = f.iosched
	}
	return nil
}

func runRun(cmd *cobra.Command, f *runFlags) error {
	if f.cmds != "" {
		return runCommands(cmd, f)
	}
	cfg, err := f.configure(cmd)
	if err != nil {
		return err
	}
	if err := refuseNoOps(cmd, cfg, ""); err != nil {
		return err
	}
	if len(cfg.Hosts) > 0 {
		return runHostsDemo(cmd, f, cfg)
	}
	if f.nodes > 0 || len(cfg.Nodes) > 0 {
		return runNodes(cmd, f, cfg)
	}
	if err := checkRunImage(cfg, cfg.Disk != nil); err != nil {
		return err
	}
	cfg = withDemoFS(cfg)
	trace, err := openTrace(f.trace)
	if err != nil {
		return err
	}
	defer trace.close()
	sys, err := boot.Boot(cfg, trace.tracer())
	if err != nil {
		return err
	}
	if err := injectHostFaults(sys, f.hostFaults); err != nil {
		sys.Close()
		return err
	}
	if sys.BlockDev() != nil {
		if err := formatIfBlank(sys, cfg.Disk.Image, cmd.ErrOrStderr()); err != nil {
			sys.Close()
			return err
		}
	}
	sum, runErr := sys.Run()
	if sum == nil {
		return halted(cmd, runErr) // the watchdog stopped the run: no summary
	}
	if err := sys.Close(); err != nil {
		return fmt.Errorf("disk image: %w", err)
	}
	if err := trace.close(); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	if f.json {
		if err := sum.JSON(w); err != nil {
			return err
		}
	} else {
		sum.Write(w)
	}
	if runErr != nil {
		return halted(cmd, runErr)
	}
	return demoOutcome(cfg, sum)
}

// withDemoFS adds the file server to a demo run with a disk: the demo
// clients then keep log files on it, and the disk is used.
func withDemoFS(cfg boot.Config) boot.Config {
	if cfg.Disk == nil || cfg.Workload.Kind == boot.WorkloadPathfinder || hasServer(cfg, fsproto.Name) {
		return cfg
	}
	cfg.Servers = append(slices.Clip(cfg.Servers), boot.ServerConf{Name: fsproto.Name})
	return cfg
}

// halted says why a run stopped before its end — a kernel panic (mkos
// exits with status 3) — and returns err. The watchdog's *kernel.Stall
// is main's to print (status 4).
func halted(cmd *cobra.Command, err error) error {
	var s *kernel.Stall
	if !errors.As(err, &s) {
		fmt.Fprintln(cmd.ErrOrStderr(), "mkos: the system halted:", err)
	}
	return err
}
