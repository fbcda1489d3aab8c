package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
)

func BenchmarkNullMicro(b *testing.B)    { Null(boot.Micro)(b) }
func BenchmarkNullMono(b *testing.B)     { Null(boot.Mono)(b) }
func BenchmarkNullHybrid(b *testing.B)   { Null(boot.Hybrid)(b) }
func BenchmarkRefCoroutine(b *testing.B) { RefCoroutine(b) }
func BenchmarkRefChannel(b *testing.B)   { RefChannel(b) }
func BenchmarkRefDirect(b *testing.B)    { RefDirect(b) }

func BenchmarkPageFaultMicro(b *testing.B)  { PageFault(boot.Micro)(b) }
func BenchmarkPageFaultMono(b *testing.B)   { PageFault(boot.Mono)(b) }
func BenchmarkPageFaultHybrid(b *testing.B) { PageFault(boot.Hybrid)(b) }

// BenchmarkSuite runs every workload in every mode:
//
//	go test ./bench -run '^$' -bench Suite
func BenchmarkSuite(b *testing.B) {
	for _, name := range WorkloadNames() {
		for _, m := range boot.Modes {
			b.Run(name+"/"+string(m), Workloads[name](m))
		}
	}
}

func TestMain(m *testing.M) {
	boot.ChildMain() // process placements measure server processes
	goleak.VerifyTestMain(m)
}

// small is the setup tests use: seqio writes 1 MiB, not 8.
func small(m boot.Mode) Setup { return Setup{Mode: m, SeqBytes: 1 << 20} }

// TestEveryWorkloadDoesItsWork checks, in every mode, the counts that say
// a workload really did its operations: a benchmark that silently did
// nothing would report wonderful numbers.
func TestEveryWorkloadDoesItsWork(t *testing.T) {
	for _, name := range WorkloadNames() {
		for _, m := range boot.Modes {
			t.Run(name+"/"+string(m), func(t *testing.T) {
				c, err := Measure(Suite[name], small(m), 4)
				require.NoError(t, err)
				require.Equal(t, 4, c.Ops)
				assert.Positive(t, c.VirtualNs)
				p := c.PerOp()
				requests := p.IPCs/2 + p.KernelCalls // a round trip is 2 messages, or 1 kernel call
				if m == boot.Mono {
					assert.Zero(t, p.IPCs, "mono makes no IPC")
				}
				if m == boot.Micro {
					assert.Zero(t, p.KernelCalls, "micro makes no kernel call")
				}
				checkWorkload(t, name, p, requests, c.Requests)
			})
		}
	}
}

// checkWorkload checks one workload's counts per operation.
func checkWorkload(t *testing.T, name string, p PerOp, requests float64, bySvc map[string]int64) {
	switch name {
	case "null":
		assert.Equal(t, 1.0, requests)
	case "fileio":
		assert.Equal(t, int64(4*5), bySvc["fs"], "open, write, pread, close, unlink")
		assert.GreaterOrEqual(t, p.BytesCopied, 2.0*fileioBytes)
	case "seqio":
		assert.GreaterOrEqual(t, p.BytesCopied, 2.0*(1<<20), "the file written and read")
		assert.Positive(t, p.DiskOps, "fsync reaches the disk")
	case "spawn":
		assert.Equal(t, 1.0, p.Spawns)
	case "pagefault":
		assert.Equal(t, 1.0, p.PageFaults)
	case "mixed":
		assert.Equal(t, float64(mixedHeapPages), p.PageFaults)
		assert.Equal(t, 1.0, p.Spawns)
		assert.GreaterOrEqual(t, bySvc["fs"], int64(4*15), "a tree walk, three reads, a write")
	case "pipe":
		assert.GreaterOrEqual(t, requests, 2.0, "a write and a read")
	case "tcp-rr":
		assert.GreaterOrEqual(t, bySvc["net"], int64(4*4), "a write and a read at each end")
		assert.GreaterOrEqual(t, p.BytesCopied, 4.0*tcpMsgBytes, "the request and the echo, in and out of the net server")
	case "tcp-bulk":
		assert.GreaterOrEqual(t, p.BytesCopied, 1.0*tcpBulkBytes, "64 KiB into the net server (the sink may read them later)")
	}
}

// TestVirtualTimeIsDeterministic: the same run twice gives the same
// counts; virtual time never depends on the host.
func TestVirtualTimeIsDeterministic(t *testing.T) {
	a, err := Measure(Suite["mixed"], small(boot.Micro), 8)
	require.NoError(t, err)
	b, err := Measure(Suite["mixed"], small(boot.Micro), 8)
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

// TestProfilesOrderTheCrossing: a micro-mode null call costs least under
// l4 and most under mach; mono pays no switch under any.
func TestProfilesOrderTheCrossing(t *testing.T) {
	cost := map[string]int64{}
	for _, p := range []string{"l4", "modern", "mach"} {
		c, err := Measure(Suite["null"], Setup{Mode: boot.Micro, Profile: p}, 10)
		require.NoError(t, err)
		cost[p] = c.VirtualNs
	}
	assert.Less(t, cost["l4"], cost["modern"])
	assert.Less(t, cost["modern"], cost["mach"])
}

// TestConfigFilePlacement: a configuration file's placements are kept, and
// links apply only where the caller runs in user space.
func TestConfigFilePlacement(t *testing.T) {
	cfg, err := boot.Load("testdata/hybrid-userfs.yaml")
	require.NoError(t, err)
	w := Suite["fileio"]
	s := Setup{Base: &cfg}
	bc, err := s.config(w)
	require.NoError(t, err)
	assert.Equal(t, boot.Hybrid, bc.Mode)
	assert.False(t, bc.InKernel(bc.Servers[0]), "fs in user space, as the file says")
	assert.Empty(t, s.ActiveLinks(w))
	s.Links = true
	assert.Equal(t, []boot.LinkConf{{From: "fs", To: "disk"}}, s.ActiveLinks(w))
	c, err := Measure(w, s, 3)
	require.NoError(t, err)
	assert.Equal(t, int64(3*5), c.Requests["fs"])
	assert.GreaterOrEqual(t, c.PerOp().IPCs, 10.0, "fs is reached by IPC")
	assert.Empty(t, Setup{Mode: boot.Hybrid, Links: true}.ActiveLinks(w), "default hybrid: fs is in the kernel, the link does nothing")
}

// TestRunWithReport runs a tiny comparison and checks every output's
// shape: the table, JSON, CSV, and the report directory with its charts.
func TestRunWithReport(t *testing.T) {
	steps := 0
	rep, err := RunWith(Options{Workloads: []string{"null", "mixed"}, Profiles: []string{"l4", "mach"},
		BenchTime: time.Millisecond, Repeat: 2, SeqBytes: 1 << 20, Progress: func(int, int, string) { steps++ }})
	require.NoError(t, err)
	require.Len(t, rep.Results, 6)
	assert.Equal(t, 2*3*(2+2)+1, steps)
	for _, x := range rep.Results {
		assert.Positive(t, x.NsPerOp)
		assert.Equal(t, 2, x.Repeats)
		assert.LessOrEqual(t, x.Host.Min, x.Host.Median)
		assert.Positive(t, x.Virtual["l4"])
		assert.Positive(t, x.Virtual["mach"])
		assert.Equal(t, x.Virtual["l4"], x.VirtualNsOp)
	}
	require.Len(t, rep.Goals, 4)

	var js bytes.Buffer
	require.NoError(t, rep.JSON(&js))
	var shape struct {
		Results []map[string]any `json:"results"`
		Ref     map[string]any   `json:"reference"`
		Machine map[string]any   `json:"machine"`
		Goals   []map[string]any `json:"goals"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &shape))
	for _, key := range []string{"mode", "workload", "ns_per_op", "allocs_per_op", "virtual_ns_per_op", "placement", "per_op", "host_ns_per_op"} {
		assert.Contains(t, shape.Results[0], key)
	}
	assert.Contains(t, shape.Ref, "coroutine_ns")
	assert.Contains(t, shape.Machine, "go_version")

	var csvOut bytes.Buffer
	require.NoError(t, rep.CSV(&csvOut))
	assert.Len(t, strings.Split(strings.TrimSpace(csvOut.String()), "\n"), 7)

	var table bytes.Buffer
	rep.Write(&table)
	assert.Contains(t, table.String(), "counts per operation")
	assert.Contains(t, table.String(), "goals:")

	dir := t.TempDir()
	require.NoError(t, rep.WriteDir(dir, "mkos bench --test"))
	for _, f := range []string{"report.md", "report.json", "cost-host.png", "cost-host.svg", "cost-l4.png", "cost-mach.svg"} {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.Positive(t, st.Size(), f)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "## Goals")
	assert.Contains(t, string(md), "mkos bench --test")
}

// TestJudge checks the verdicts on made-up numbers.
func TestJudge(t *testing.T) {
	mk := func(micro, mono, hybrid float64, l4, mach [2]float64) *Report {
		r := &Report{}
		for _, x := range []struct {
			p    string
			host float64
			v    map[string]float64
		}{
			{"micro", micro, map[string]float64{"l4": l4[0], "mach": mach[0]}},
			{"mono", mono, map[string]float64{"l4": l4[1], "mach": mach[1]}},
			{"hybrid", hybrid, map[string]float64{"l4": l4[1], "mach": mach[1]}},
		} {
			r.Results = append(r.Results, Result{Workload: "mixed", Placement: x.p, NsPerOp: x.host, Virtual: x.v})
		}
		return r
	}
	g := Judge(mk(120, 100, 105, [2]float64{104, 100}, [2]float64{150, 100}))
	assert.Equal(t, []string{Met, Met, Met, Met}, verdicts(g))
	g = Judge(mk(200, 100, 180, [2]float64{130, 100}, [2]float64{140, 100}))
	assert.Equal(t, []string{NotMet, NotMet, NotMet, NotMet}, verdicts(g))
	assert.InDelta(t, 0.2, g[1].Value, 1e-9, "hybrid closes a fifth of the gap")
	assert.Nil(t, Judge(&Report{}), "no mixed, no goals")
}

func verdicts(gs []Goal) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Verdict)
	}
	return out
}

func TestSpread(t *testing.T) {
	s := spread([]float64{5, 1, 3, 4})
	assert.Equal(t, Spread{Median: 3.5, Min: 1, Max: 5}, s)
	assert.InDelta(t, 4/3.5, s.Relative(), 1e-9)
	assert.Equal(t, Spread{}, spread(nil))
}

// TestPipeIsMeasuredOrNamedMissing: pipe is in the suite exactly when
// boot can place the pipe server.
func TestPipeIsMeasuredOrNamedMissing(t *testing.T) {
	_, inSuite := Suite["pipe"]
	_, missing := Missing["pipe"]
	assert.NotEqual(t, inSuite, missing)
	assert.Equal(t, boot.Servers["pipe"] != nil, inSuite)
}

func TestFormatNs(t *testing.T) {
	for _, c := range []struct {
		ns   float64
		want string
	}{{190, "190 ns"}, {3124, "3.12 µs"}, {108960418, "109 ms"}, {2.5e9, "2.5 s"}} {
		assert.Equal(t, c.want, FormatNs(c.ns))
	}
}

// A measured system stops at Setup.MaxTimeNs and says so (ErrTimeLimit);
// within the limit the measurement is the same as without one.
func TestMeasureTimeLimit(t *testing.T) {
	for _, c := range []struct {
		name      string
		maxTimeNs int64
		wantLimit bool
	}{
		{"no limit", 0, false},
		{"limit far away", 10_000_000_000, false},
		{"limit hit", 1_000, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Setup{Mode: boot.Micro, MaxTimeNs: c.maxTimeNs}
			got, err := Measure(Suite["null"], s, 100)
			assert.Equal(t, c.wantLimit, errors.Is(err, ErrTimeLimit), "Measure() = %v, want the time limit: %v", err, c.wantLimit)
			if !c.wantLimit {
				require.NoError(t, err)
				assert.Equal(t, 100, got.Ops, "Measure().Ops")
			}
		})
	}
}

// TCP across two machines in micro and hybrid (TCPHostsModes): the bulk
// transfer arrives intact (MeasureTCPHosts checks its CRC), a round trip
// takes at least the two link crossings, and the switch carried the
// frames.
func TestTCPAcrossTwoMachines(t *testing.T) {
	for _, m := range TCPHostsModes {
		t.Run(string(m), func(t *testing.T) {
			r, err := MeasureTCPHosts(m, "l4")
			require.NoError(t, err)
			assert.Greater(t, r.RTTNs, int64(2*boot.DefaultLatency), "a round trip crosses the link twice")
			assert.Positive(t, r.BulkMbps)
			assert.Less(t, r.BulkMbps, 1000.0, "no faster than the 1 Gbit/s link")
			assert.Greater(t, r.Frames, int64(TCPHostsBytes/1500), "the bulk transfer's frames crossed the switch")
		})
	}
}
