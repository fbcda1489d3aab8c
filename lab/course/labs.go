package course

import (
	"embed"
	"fmt"
	"time"
)

// Lab is one graded lab: what the student reads, what the handout removes,
// and what the grader checks.
type Lab struct {
	Name  string // the name on the command line
	Title string
	// OSTEP and Xv6 are the chapters of the two books the lab pairs with.
	OSTEP, Xv6 string
	// Stubs are the reference code the handout replaces.
	Stubs []Stub
	// Checks are the grader's tests, in order.
	Checks []Check
}

// Stub names functions of one file whose bodies the handout replaces by
// panic("lab NAME: TODO"): "Func", or "Type.Method" for a method.
type Stub struct {
	File  string
	Funcs []string
}

// Check is one graded test: a `go test` run (Pkg and Run), an mkos command
// (Args) compared with a saved output (Golden, a file of grading/ in
// internal/ostepcase's format, run as `mkos ostep TOOL ARGS`) or searched
// for Contains, or a report the student writes (Report).
type Check struct {
	Name    string
	Points  int
	Timeout time.Duration
	// Pkg and Run: `go test -count=1 -run Run Pkg` must pass. Files are
	// the test files it relies on, which must be as the grader recorded
	// them (hashes.go).
	Pkg, Run string
	Files    []string
	// Args: `mkos Args…` must exit 0 and print Contains.
	Args     []string
	Contains string
	// Golden: the run of grading/Golden's command must print its output.
	Golden string
	// Report is a file of the student's tree that must hold every line
	// of the output of `mkos Args…` (those matching Only, when set: the
	// lines that do not depend on the host) and an answer under each "## "
	// heading.
	Report, Only string
}

// Statements holds each lab's statement, statements/NAME.md.
//
//go:embed statements/*.md
var Statements embed.FS

// Grading holds the saved outputs the CLI checks compare with: real runs
// of OSTEP's scripts, with other seeds than the statements' examples.
//
//go:embed grading/*.txt
var Grading embed.FS

// Statement returns lab's statement.
func Statement(name string) (string, error) {
	b, err := Statements.ReadFile("statements/" + name + ".md")
	return string(b), err
}

// Find returns the named lab.
func Find(name string) (*Lab, error) {
	for i := range Labs {
		if Labs[i].Name == name {
			return &Labs[i], nil
		}
	}
	return nil, fmt.Errorf("no lab %q (mkos lab list shows them)", name)
}

// tcpLabRun is the tcp lab's transfer: 1 MiB from host1 to host2.
const tcpLabRun = "on 2 tcpbench -s; sleep 0.2; tcpbench -c host2 -b 1048576"

const (
	short = 2 * time.Minute
	long  = 5 * time.Minute
)

// Labs are the labs in the order a course meets them.
var Labs = []Lab{
	{Name: "syscall", Title: "System calls and traps: one call end to end", OSTEP: "6 (Limited Direct Execution)", Xv6: "4 (Traps and system calls)",
		Stubs: []Stub{{File: "servers/pm/ids.go", Funcs: []string{"Server.getpid"}}},
		Checks: []Check{
			{Name: "getpid answers a process its own pid", Points: 40, Timeout: short, Pkg: "./servers/pm", Run: "TestAdoptedTasks", Files: []string{"servers/pm/spawn_test.go"}},
			{Name: "pm restarts with its table and pids", Points: 30, Timeout: short, Pkg: "./servers/pm", Run: "TestRestartKeepsTheTable", Files: []string{"servers/pm/restart_test.go"}},
			{Name: "the shell's $$ is its pid, a child's its own", Points: 30, Timeout: short, Args: []string{"run", "-c", `echo $$; sh -c "echo \$\$"`}, Contains: "2\n4\n"},
		}},
	{Name: "ipc", Title: "IPC: a server and its protocol stub", OSTEP: "5 (Process API), 26 (Concurrency)", Xv6: "1 (Operating system interfaces)",
		Stubs: []Stub{{File: "servers/echo/echo.go", Funcs: []string{"Server.echo"}}},
		Checks: []Check{
			{Name: "echo refuses hostile lengths", Points: 30, Timeout: short, Pkg: "./servers/echo", Run: "TestHostile", Files: []string{"servers/echo/hostile_test.go"}},
			{Name: "every client's calls are answered correctly", Points: 40, Timeout: short, Args: []string{"run"}, Contains: "120 calls answered correctly, 0 wrong"},
			{Name: "echo survives its crash in micro mode", Points: 30, Timeout: short, Args: []string{"run", "--mode", "micro", "--crash-at", "5"}, Contains: "120 calls answered correctly, 0 wrong"},
		}},
	{Name: "sched", Title: "Scheduling: implement MLFQ", OSTEP: "7, 8 (Scheduling, MLFQ)", Xv6: "7 (Scheduling)",
		Stubs: []Stub{{File: "sched/mlfq.go", Funcs: []string{"mlfq.Add", "mlfq.Pick", "mlfq.Tick", "mlfq.account", "mlfq.boost", "mlfq.Preempts"}}},
		Checks: []Check{
			{Name: "mlfq's rules", Points: 20, Timeout: short, Pkg: "./sched", Run: "TestMLFQ", Files: []string{"sched/mlfq_test.go"}},
			{Name: "conformance: every task runs and finishes", Points: 20, Timeout: short, Pkg: "./sched", Run: "TestConformance", Files: []string{"sched/conformance_test.go"}},
			{Name: "mlfq.py -s 10 (boost, -S, -I)", Points: 15, Timeout: short, Golden: "mlfq-s10-j6-n4-B25-S-I.txt"},
			{Name: "mlfq.py -s 8 (boost, -I)", Points: 15, Timeout: short, Golden: "mlfq-s8-j5-n3-q2-B9-I.txt"},
			{Name: "mlfq.py -s 3 (four queues, boost)", Points: 15, Timeout: short, Golden: "mlfq-s3-j4-n4-q5-B30.txt"},
			{Name: "mlfq.py boost order with -S -I", Points: 15, Timeout: short, Golden: "mlfq-boost-lowest-first-S-I.txt"},
		}},
	{Name: "pi", Title: "Priority inversion: priority inheritance over IPC", OSTEP: "28 (Locks: priority inversion aside)", Xv6: "8 (Sleep and wakeup)",
		Stubs: []Stub{{File: "kernel/sched_pi.go", Funcs: []string{"Kernel.inherit", "Kernel.disinherit"}}},
		Checks: []Check{
			{Name: "the high-priority task waits only for the server", Points: 60, Timeout: short, Pkg: "./kernel", Run: "TestPriorityInversion", Files: []string{"kernel/sched_pi_test.go"}},
			{Name: "the kernel's scheduling tests", Points: 40, Timeout: short, Pkg: "./kernel", Run: "TestSchedulingPolicies|TestQuantumTicks|TestYield", Files: []string{"kernel/sched_test.go"}},
		}},
	{Name: "translate", Title: "Address translation: the page-table walk", OSTEP: "18, 20 (Paging, smaller tables)", Xv6: "3 (Page tables)",
		Stubs: []Stub{{File: "kernel/mmu.go", Funcs: []string{"addrSpace.entry"}}},
		Checks: []Check{
			{Name: "demand paging", Points: 40, Timeout: short, Pkg: "./kernel", Run: "TestDemandPaging", Files: []string{"kernel/mmu_test.go"}},
			{Name: "a bad address kills only its task; TLB tags", Points: 30, Timeout: short, Pkg: "./kernel", Run: "TestSegfaultKillsOnlyTheTask|TestTLBFlushOrTag", Files: []string{"kernel/mmu_test.go"}},
			{Name: "mkos vm translate walks the table", Points: 30, Timeout: short, Args: []string{"vm", "translate", "--task-pages", "0x400-0x402", "0x400123", "0x403000"}, Contains: "frame 0 × 4096 + 0x123 = 0x123"},
		}},
	{Name: "clock", Title: "Page replacement: CLOCK", OSTEP: "22 (Beyond physical memory: policies)", Xv6: "3 (Page tables)",
		Stubs: []Stub{{File: "servers/mm/clock.go", Funcs: []string{"clock.visit", "clock.Victim"}}},
		Checks: []Check{
			{Name: "second chance", Points: 20, Timeout: short, Pkg: "./servers/mm", Run: "TestClockSecondChance", Files: []string{"servers/mm/policy_test.go"}},
			{Name: "conformance of every policy", Points: 20, Timeout: short, Pkg: "./servers/mm", Run: "TestPolicyConformance", Files: []string{"servers/mm/policy_conformance_test.go"}},
			{Name: "paging-policy.py -s 3 CLOCK", Points: 30, Timeout: short, Golden: "paging-clock-s3-n20.txt"},
			{Name: "paging-policy.py -s 4 CLOCK, 1 bit, 4 frames", Points: 30, Timeout: short, Golden: "paging-clock-s4-b1-C4-m8.txt"},
		}},
	{Name: "journal", Title: "The file system's journal: commit and recovery", OSTEP: "42 (Crash consistency: FSCK and journaling)", Xv6: "10 (File system: logging layer)",
		Stubs: []Stub{{File: "servers/fs/log.go", Funcs: []string{"journal.commit"}}},
		Checks: []Check{
			{Name: "crash at every write: the file system is consistent", Points: 50, Timeout: long, Pkg: "./servers/fs", Run: "TestCrashConsistency", Files: []string{"servers/fs/crash_test.go"}},
			{Name: "a power cut and a reboot", Points: 30, Timeout: short, Pkg: "./servers/fs", Run: "TestRebootAfterPowerCut|TestRestartRecoversAndStalesDescriptors", Files: []string{"servers/fs/restart_test.go"}},
			{Name: "files written through the shell read back", Points: 20, Timeout: short, Args: []string{"run", "-c", "echo hello > /f; cat /f"}, Contains: "hello"},
		}},
	{Name: "disk", Title: "The disk driver's scheduler: SSTF and C-LOOK", OSTEP: "37 (Hard disk drives)", Xv6: "9 (Interrupts and device drivers)",
		Stubs: []Stub{{File: "drivers/disk/sched_sstf.go", Funcs: []string{"sstf.Next"}}, {File: "drivers/disk/sched_clook.go", Funcs: []string{"clook.Next"}}},
		Checks: []Check{
			{Name: "the textbook's queue", Points: 50, Timeout: short, Pkg: "./drivers/disk", Run: "TestSchedulersOnTheTextbookQueue", Files: []string{"drivers/disk/sched_test.go"}},
			{Name: "ties broken by arrival", Points: 30, Timeout: short, Pkg: "./drivers/disk", Run: "TestSchedulersBreakTiesByArrival", Files: []string{"drivers/disk/sched_test.go"}},
			{Name: "the driver keeps flush barriers; seek counts", Points: 20, Timeout: short, Pkg: "./drivers/disk", Run: "TestFlushIsABarrier|TestSchedulersSeekCounts", Files: []string{"drivers/disk/driver_test.go", "drivers/disk/sched_driver_test.go"}},
		}},
	{Name: "recovery", Title: "Crash recovery with rs and ds: a stateful server survives its crash", OSTEP: "42 (Crash consistency)", Xv6: "—",
		Stubs: []Stub{{File: "servers/pm/persist.go", Funcs: []string{"Server.flush", "Server.load"}}},
		Checks: []Check{
			{Name: "pm restarts with its process table", Points: 60, Timeout: short, Pkg: "./servers/pm", Run: "TestRestartKeepsTheTable", Files: []string{"servers/pm/restart_test.go"}},
			{Name: "a shell's children outlive a pm crash", Points: 40, Timeout: short, Args: []string{"run", "-c", "sleep 1 & ps; crash pm; ps"},
				Contains: "rs restarts it\n  PID  PPID  PGID S     START COMMAND\n    1     0     1 S    2.04µs init\n    2     1     1 S    33.4ms sh\n    3     2     1 R    33.4ms sleep\n"},
		}},
	{Name: "tcp", Title: "TCP under loss: retransmissions and the congestion window, read from the wire", OSTEP: "48 (Distributed systems: unreliable communication)", Xv6: "—",
		Stubs: []Stub{{File: "internal/pcapstat/flow.go", Funcs: []string{"Flow.sent", "Flow.acked"}}},
		Checks: []Check{
			{Name: "retransmissions, duplicate ACKs, bytes in flight", Points: 30, Timeout: short, Pkg: "./internal/pcapstat", Run: "TestAnalyze|TestOutOfOrderCapture", Files: []string{"internal/pcapstat/pcapstat_test.go"}},
			{Name: "the summary and the time series", Points: 10, Timeout: short, Pkg: "./internal/pcapstat", Run: "TestReports", Files: []string{"internal/pcapstat/pcapstat_test.go"}},
			{Name: "the report holds the 0% transfer and answers", Points: 20, Timeout: short, Report: "labs/tcp.md", Only: `^tcpbench `,
				Args: []string{"run", "--config", "lab/tcp/loss0.yaml", "--hosts", "2", "-c", tcpLabRun}},
			{Name: "the report holds the 1% transfer", Points: 20, Timeout: short, Report: "labs/tcp.md", Only: `^tcpbench `,
				Args: []string{"run", "--config", "lab/tcp/loss1.yaml", "--hosts", "2", "-c", tcpLabRun}},
			{Name: "the report holds the 5% transfer", Points: 20, Timeout: short, Report: "labs/tcp.md", Only: `^tcpbench `,
				Args: []string{"run", "--config", "lab/tcp/loss5.yaml", "--hosts", "2", "-c", tcpLabRun}},
		}},
	{Name: "micromono", Title: "Micro vs mono: a measured report", OSTEP: "— (the Tanenbaum–Torvalds debate)", Xv6: "2 (Operating system organization)",
		Checks: []Check{
			{Name: "the report holds the null call's counts and answers", Points: 60, Timeout: long, Report: "labs/micromono.md", Args: []string{"bench", "--workload", "null"},
				Only: `^\s*null\s+(micro|mono|hybrid)\s+\d+\s+\d+\s+\d+\s+\d+`},
			{Name: "the report holds the mach-profile run and answers", Points: 40, Timeout: long, Report: "labs/micromono.md", Args: []string{"run", "--profile", "mach"}},
		}},
}
