package faults

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

func TestMain(m *testing.M) {
	boot.ChildMain() // process_test.go's server processes
	goleak.VerifyTestMain(m)
}

var survivable = []ipc.Injection{ipc.InjectCrash, ipc.InjectHang, ipc.InjectSlow}

// TestMicroSurvivesCrashHangSlow is the small campaign `make test` runs:
// in micro mode every crash, hang and slow reply in every server is
// survived with every invariant holding.
func TestMicroSurvivesCrashHangSlow(t *testing.T) {
	rep, err := Run(Campaign{Mode: boot.Micro, Count: 240, PerRun: 20, Seed: 1, Kinds: survivable})
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out, 5)
	require.True(t, rep.OK(), out.String())
	assert.Equal(t, 240, rep.Total, "every fault armed strikes")
	assert.Equal(t, []string{"fs", "disk", "mm", "ds", "pm"}, rep.Targets)
	assert.Equal(t, "not in this system", rep.Skipped["tty"])
	for _, tgt := range rep.Targets {
		assert.Positive(t, rep.Restarts[tgt], "%s was restarted", tgt)
		assert.Zero(t, rep.Stopped[tgt], "no fault in user space stops the system")
	}
	assert.Zero(t, rep.Halts)
	assert.Zero(t, rep.BytesLost)
	assert.Positive(t, rep.DurableBytes, "the workload fsync'ed files")
	assert.Greater(t, rep.JobsOK, rep.Jobs/2, "most jobs are correct")
	for e := range rep.Errnos {
		assert.Zero(t, rep.Undocumented[e], "%v is undocumented", e)
	}
	assert.Contains(t, out.String(), "invariants: all held in 12 runs")
}

// TestMonoHaltsAtTheFirstCrash: in mono every server is in the kernel, so
// the first crash is a kernel panic — expected, and the disk is still
// consistent with every fsync'ed byte on it.
func TestMonoHaltsAtTheFirstCrash(t *testing.T) {
	rep, err := Run(Campaign{Mode: boot.Mono, Count: 20, PerRun: 1, Seed: 3, Kinds: []ipc.Injection{ipc.InjectCrash}})
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out, 5)
	require.True(t, rep.OK(), out.String())
	assert.Equal(t, 20, rep.Total)
	assert.Equal(t, 20, rep.Halts)
	assert.Equal(t, 20, rep.Panics)
	assert.Empty(t, rep.Restarts)
	assert.Zero(t, rep.BytesLost)
	assert.Contains(t, out.String(), "20 kernel panics")
}

// TestMonoHangIsASystemHang: a hang in a server in the kernel stops its
// caller in the kernel for good.
func TestMonoHangIsASystemHang(t *testing.T) {
	rep, err := Run(Campaign{Mode: boot.Mono, Count: 10, PerRun: 1, Seed: 5, Kinds: []ipc.Injection{ipc.InjectHang}})
	require.NoError(t, err)
	require.True(t, rep.OK())
	assert.Equal(t, 10, rep.Hangs)
}

// TestHybridSurvivesOnlyUserSpaceFaults: in hybrid, fs, mm and pm are in
// the kernel and ds and the disk driver in user space: a crash stops the
// system exactly when it strikes a server in the kernel.
func TestHybridSurvivesOnlyUserSpaceFaults(t *testing.T) {
	rep, err := Run(Campaign{Mode: boot.Hybrid, Count: 200, PerRun: 10, Seed: 7, Kinds: []ipc.Injection{ipc.InjectCrash}})
	require.NoError(t, err)
	require.True(t, rep.OK())
	for _, tgt := range rep.Targets {
		struck := rep.Faults[tgt][ipc.InjectCrash]
		if rep.InKernel[tgt] {
			assert.Equal(t, struck, rep.Stopped[tgt], "every crash of %s (kernel) stops the system", tgt)
		} else {
			assert.Zero(t, rep.Stopped[tgt], "no crash of %s (user space) stops it", tgt)
		}
	}
	assert.True(t, rep.InKernel["fs"] && rep.InKernel["mm"] && rep.InKernel["pm"])
	assert.False(t, rep.InKernel["disk"] || rep.InKernel["ds"])
	assert.Positive(t, rep.Restarts["disk"]+rep.Restarts["ds"])
}

// TestGarbageIsChecked: a garbage reply reaches its caller, whose stub
// checks it: no kernel panic, fsck clean, no fsync'ed byte lost, every
// errno a program sees documented for its protocol, no program dead in a
// stub. A program killed by SIGSEGV for an address it was given, or a
// wrong output no stub could tell from a right one, is counted, not a
// violation.
func TestGarbageIsChecked(t *testing.T) {
	rep, err := Run(Campaign{Mode: boot.Micro, Count: 200, PerRun: 20, Seed: 11, Kinds: []ipc.Injection{ipc.InjectGarbage}})
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out, 5)
	require.True(t, rep.OK(), out.String())
	assert.Positive(t, rep.Total)
	assert.Zero(t, rep.BytesLost)
	assert.Positive(t, rep.Errnos[linux.EIO], "replies the stubs could not believe")
	for e := range rep.Errnos {
		assert.Zero(t, rep.Undocumented[e], "%v is undocumented", e)
	}
}

// TestGarbageFindings replays the garbage runs that broke an invariant
// before the fix named: each must now hold them all.
func TestGarbageFindings(t *testing.T) {
	tests := []struct {
		name string
		seed uint64
	}{
		// a garbage reply to a child's Attach made pm's wrapper give up
		// unseen by pm: its parent waited for it forever
		{"pm attach retried", 240},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Run(Campaign{Mode: boot.Micro, Workload: "mixed", Count: 20, PerRun: 20, Seed: tc.seed,
				Kinds: []ipc.Injection{ipc.InjectGarbage}, Targets: AllTargets})
			require.NoError(t, err)
			var out bytes.Buffer
			rep.Write(&out, 1)
			assert.True(t, rep.OK(), out.String())
		})
	}
}

// TestCampaignIsDeterministic: the same campaign gives the same report
// whatever the parallelism.
func TestCampaignIsDeterministic(t *testing.T) {
	c := Campaign{Mode: boot.Micro, Workload: "fileio", Count: 60, PerRun: 10, Seed: 42}
	var reps []*Report
	for _, par := range []int{1, 3} {
		c.Parallel = par
		rep, err := Run(c)
		require.NoError(t, err)
		reps = append(reps, rep)
	}
	a, b := reps[0], reps[1]
	assert.Equal(t, a.Faults, b.Faults)
	assert.Equal(t, a.Errnos, b.Errnos)
	assert.Equal(t, [2]int{a.Jobs, a.JobsOK}, [2]int{b.Jobs, b.JobsOK})
	for i := range a.Runs {
		assert.Equal(t, a.Runs[i].Strikes, b.Runs[i].Strikes, "run %d", i)
		assert.Equal(t, a.Runs[i].VirtualNs, b.Runs[i].VirtualNs, "run %d", i)
	}
}

// TestReplayReproducesARun: the replay command's campaign — the run's
// seed, one run — makes the same run again.
func TestReplayReproducesARun(t *testing.T) {
	c := Campaign{Mode: boot.Micro, Workload: "mixed", Count: 30, PerRun: 10, Seed: 100,
		Targets: []string{"fs", "ds"}, Kinds: []ipc.Injection{ipc.InjectCrash, ipc.InjectGarbage}}
	rep, err := Run(c)
	require.NoError(t, err)
	assert.Equal(t, "mkos faults --mode micro --workload mixed --targets fs,ds --kinds crash,garbage --count 10 --per-run 10 --seed 102",
		rep.Campaign.Replay(2))
	one := c
	one.Seed, one.Count = 102, 10
	again, err := Run(one)
	require.NoError(t, err)
	require.Len(t, again.Runs, 1)
	assert.Equal(t, rep.Runs[2].Strikes, again.Runs[0].Strikes)
	assert.Equal(t, rep.Runs[2].Jobs, again.Runs[0].Jobs)
	assert.Equal(t, len(rep.Runs[2].Violations), len(again.Runs[0].Violations))
}

// TestTargetsAreThoseTheWorkloadCalls: a target the system lacks or the
// workload never calls is left out and named.
func TestTargetsAreThoseTheWorkloadCalls(t *testing.T) {
	rep, err := Run(Campaign{Workload: "spawn", Count: 10, PerRun: 5, Seed: 1, Kinds: []ipc.Injection{ipc.InjectCrash}})
	require.NoError(t, err)
	assert.Equal(t, []string{"pm"}, rep.Targets)
	assert.Equal(t, "not in this system", rep.Skipped["fs"])
	_, err = Run(Campaign{Workload: "spawn", Targets: []string{"tty"}})
	assert.ErrorContains(t, err, "no target")
	_, err = Run(Campaign{Workload: "bogus"})
	assert.ErrorContains(t, err, `"bogus"`)
}

func TestDocumented(t *testing.T) {
	for _, c := range []struct {
		svc  string
		e    linux.Errno
		want bool
	}{
		{"fs", linux.ESTALE, true},
		{"fs", linux.ECONNRESET, true}, // the kernel's: the instance died
		{"fs", linux.ECHILD, false},
		{"fs", linux.EACCES, true},
		{"disk", linux.ENOSPC, true},
		{"pm", linux.ECHILD, true},
		{"mm", linux.ENOMEM, true},
		{"ds", linux.ERANGE, true},
		{"ds", linux.EKEYREJECTED, false},
	} {
		assert.Equal(t, c.want, Documented(c.svc, c.e), "Documented(%s, %v)", c.svc, c.e)
	}
}

// TestNetSurvivesEveryFault is the network's small campaign: in micro mode
// every crash, hang, garbage reply and slow reply of the net server is
// survived — each transfer is intact at both ends or fails with a
// documented errno or its program's timeout, no task waits on a socket
// for ever, and rs brings net back (a hang: when its ping goes
// unanswered).
func TestNetSurvivesEveryFault(t *testing.T) {
	rep, err := Run(Campaign{Mode: boot.Micro, Workload: "tcp", Count: 60, PerRun: 20, Seed: 1})
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out, 5)
	require.True(t, rep.OK(), out.String())
	assert.Equal(t, 60, rep.Total, "every fault armed strikes")
	assert.Equal(t, []string{"net"}, rep.Targets)
	assert.Positive(t, rep.Restarts["net"], "net was restarted")
	assert.Greater(t, rep.JobsOK, rep.Jobs/2, "most transfers are intact")
	assert.Positive(t, rep.Errnos[linux.ECONNRESET], "a crash resets the connections")
	assert.Contains(t, out.String(), "invariants: all held in 3 runs")
}

// TestLinkFaults: loss bursts, partitions, reordering and a card's link
// going down between two machines, struck while host1 sends transfers to
// host2: each transfer is intact or fails with a documented errno or its
// timeout, nothing is left blocked, and transfers succeed once the wire
// has healed.
func TestLinkFaults(t *testing.T) {
	rep, err := RunLink(LinkCampaign{Mode: boot.Micro, Runs: 2, PerRun: 6, Seed: 1})
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out)
	t.Log(out.String())
	require.True(t, rep.OK(), out.String())
	total := 0
	for _, n := range rep.Struck {
		total += n
	}
	assert.Equal(t, 12, total, "every fault struck")
	assert.Greater(t, rep.JobsOK, 2, "transfers went through")
	assert.Contains(t, out.String(), "invariants: all held")
}

// A hang of host2's NIC driver costs host2 the driver, not its net
// server: rs replaces the driver, and transfers succeed again. (Before
// net bounded its calls to the driver, net hung with it and host2
// refused connections for good.)
func TestLinkNICHangReplacesOnlyTheDriver(t *testing.T) {
	rep, err := RunLink(LinkCampaign{Mode: boot.Micro, Runs: 2, PerRun: 1, Seed: 1, Kinds: []string{"nic-hang"}})
	require.NoError(t, err)
	var out bytes.Buffer
	rep.Write(&out)
	require.True(t, rep.OK(), out.String())
	assert.Equal(t, 2, rep.Struck["nic-hang"], "both hangs struck")
}

// Two or more hangs of host2's NIC driver in a run are survived too. The
// second hang, armed while the first one's instance hung (it receives
// nothing), used to wait through the settle time and hang the
// replacement at the final transfers; runs of several hangs outlived
// boot's 10 s limit before their final transfers ran; and a connection
// whose sender gave up during a hang held the one-at-a-time receiver
// while a final transfer waited behind it. Each case failed before.
func TestLinkNICHangsPerRun(t *testing.T) {
	tests := []struct {
		name         string
		runs, perRun int
		seed         uint64
	}{
		{"two hangs a run", 3, 2, 1},
		{"four hangs a run", 2, 4, 7},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			rep, err := RunLink(LinkCampaign{Mode: boot.Micro, Runs: c.runs, PerRun: c.perRun, Seed: c.seed, Kinds: []string{"nic-hang"}})
			require.NoError(t, err)
			var out bytes.Buffer
			rep.Write(&out)
			require.True(t, rep.OK(), out.String())
			assert.Equal(t, c.runs*c.perRun, rep.Struck["nic-hang"], "every hang struck")
			assert.Contains(t, out.String(), "invariants: all held")
		})
	}
}

// nic-hang is one of the kinds a link campaign strikes unless told.
func TestDefaultLinkKindsHaveEveryKind(t *testing.T) {
	if got, want := DefaultLinkKinds, LinkKinds; !slices.Equal(got, want) {
		t.Errorf("DefaultLinkKinds = %v, want %v", got, want)
	}
}
