package boot

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	nichw "github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel"
)

// rawTally is what a machine's raw peer saw.
type rawTally struct {
	sent, echoed, answers int
}

// Frame kinds of the raw peers' protocol (in the payload's first byte).
const (
	rawRequest = 1
	rawAnswer  = 2
	timerBit   = 1 << 40
)

// rawPeer is a stand-in for the net server: a task that registers as the
// "net" service (so the NIC driver's notifications reach it), sends count
// request frames through the driver to machine `to`, one every 200µs,
// answers every request it receives, counts answers, and ends 5ms after
// its last request (the machines boot in different times).
func rawPeer(k, to, count int, tally *rawTally) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		if _, err := sys.Register(nicproto.NotifyService); err != nil {
			panic(err)
		}
		id, err := sys.Lookup(nicproto.Name)
		if err != nil {
			panic(err)
		}
		nic := nicproto.Client{Sys: sys, Dst: ipc.ServiceEndpoint(id)}
		buf := make([]byte, 64<<10)
		_ = sys.SetTimer(sys.Now()+200_000, timerBit)
		for {
			var m ipc.Message
			if err := sys.Receive(ipc.Any, &m); err != nil {
				return
			}
			var out [][]byte
			bits := m.Word(0)
			if bits&nicproto.RxBit != 0 {
				for {
					frames, err := nic.Recv(buf, 0)
					if err != nil {
						break
					}
					for _, f := range frames {
						out = append(out, tally.take(f, k)...)
					}
				}
			}
			if bits&timerBit != 0 {
				if tally.sent == count {
					return // 5ms after the last request: every frame has come or is lost
				}
				if tally.sent == count-1 {
					_ = sys.SetTimer(sys.Now()+5_000_000, timerBit)
				} else {
					_ = sys.SetTimer(sys.Now()+200_000, timerBit)
				}
				out = append(out, rawFrame(to, k, rawRequest, tally.sent, 100+tally.sent*37%900))
				tally.sent++
			}
			for _, f := range out {
				if err := nic.Send(f); err != nil {
					panic(err)
				}
			}
		}
	}
}

// take reads a received frame: an answer is counted, a request answered
// (the frame to send is returned).
func (t *rawTally) take(f []byte, self int) (out [][]byte) {
	from, seq := int(f[nichw.HeaderSize+1]), int(binary.BigEndian.Uint32(f[nichw.HeaderSize+2:]))
	switch f[nichw.HeaderSize] {
	case rawRequest:
		t.echoed++
		out = append(out, rawFrame(from, self, rawAnswer, seq, len(f)))
	case rawAnswer:
		t.answers++
	}
	return out
}

// rawFrame is a frame from machine `from` to machine `to`, size bytes.
func rawFrame(to, from int, kind byte, seq, size int) []byte {
	f := make([]byte, max(size, nichw.HeaderSize+6))
	dst, src := nichw.HostMAC(to, 0), nichw.HostMAC(from, 0)
	copy(f, dst[:])
	copy(f[6:], src[:])
	binary.BigEndian.PutUint16(f[12:], 0x88b5)
	f[nichw.HeaderSize], f[nichw.HeaderSize+1] = kind, byte(from)
	binary.BigEndian.PutUint32(f[nichw.HeaderSize+2:], uint32(seq))
	return f
}

// runRaw boots a cluster from yaml without net servers, runs a raw peer
// on every machine (each sending to the next through its NIC driver), and returns the trace, the pcap file, the
// summary and the tallies.
func runRaw(t *testing.T, yaml string, count int) (string, []byte, *ClusterSummary, []rawTally) {
	return runRawWith(t, yaml, count, nil)
}

// runRawWith is runRaw with setup called on the cluster before it runs.
func runRawWith(t *testing.T, yaml string, count int, setup func(c *Cluster)) (string, []byte, *ClusterSummary, []rawTally) {
	t.Helper()
	cfg, err := Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	var trace, pcap bytes.Buffer
	j := kernel.NewJSONTracer(&trace)
	noNet := func(_ int, hc Config) Config { hc.Net = nil; return hc } // rawPeer is net
	c, err := BootCluster(cfg, ClusterOptions{Tracer: j, Pcap: &pcap, Each: noNet})
	if err != nil {
		t.Fatal(err)
	}
	n := len(c.Hosts)
	tallies := make([]rawTally, n)
	for k := 1; k <= n; k++ {
		if _, err := c.Spawn(k, "rawpeer", rawPeer(k, k%n+1, count, &tallies[k-1])); err != nil {
			t.Fatal(err)
		}
	}
	if setup != nil {
		setup(c)
	}
	sum, err := c.Run()
	if err != nil {
		t.Fatalf("Run() = %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	return trace.String(), pcap.Bytes(), sum, tallies
}

func TestClusterFramesCross(t *testing.T) {
	_, pcap, sum, tallies := runRaw(t, "hosts: 3\nnetwork: {latency: 100us}\n", 5)
	for k, tl := range tallies {
		if tl.sent != 5 || tl.echoed != 5 || tl.answers != 5 {
			t.Errorf("host%d: sent %d, answered %d requests, got %d answers; want 5, 5, 5 on a wire with no loss", k+1, tl.sent, tl.echoed, tl.answers)
		}
	}
	if got := sum.Network.Switch.Frames; got != 30 {
		t.Errorf("switch frames = %d, want 30 (15 requests, 15 answers)", got)
	}
	if got := sum.Network.PcapFrames; got != 30 {
		t.Errorf("pcap frames = %d, want 30", got)
	}
	if len(pcap) < 24 || binary.LittleEndian.Uint32(pcap) != 0xa1b23c4d {
		t.Errorf("pcap file starts % x, want the nanosecond pcap magic", pcap[:min(4, len(pcap))])
	}
	for i, h := range sum.Hosts {
		if want := fmt.Sprintf("10.0.0.%d", i+1); h.Addr != want || h.Name != HostName(i+1) {
			t.Errorf("Hosts[%d] = %s %s, want %s %s", i, h.Name, h.Addr, HostName(i+1), want)
		}
		if h.NIC.TxFrames != 10 || h.NIC.RxFrames != 10 {
			t.Errorf("%s card: sent %d, received %d frames; want 10, 10", h.Name, h.NIC.TxFrames, h.NIC.RxFrames)
		}
	}
}

// TestClusterDeterminism: same seed, same merged trace and the same
// frames on the wire, byte for byte, with loss, duplication and
// reordering, in every mode and in a mix of them; another seed gives
// another run.
func TestClusterDeterminism(t *testing.T) {
	const network = "network: {latency: 50us, loss: 0.2, dup: 0.1, reorder: 0.1}\n"
	cases := []struct{ name, yaml string }{
		{"micro", "mode: micro\nhosts: 3\n"},
		{"mono", "mode: mono\nhosts: 3\n"},
		{"hybrid", "mode: hybrid\nhosts: 3\n"},
		{"mixed", "hosts:\n  - {mode: micro}\n  - {mode: mono, cpus: 2}\n  - {mode: hybrid}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			yaml := c.yaml + network + "seed: 3\n"
			trace1, pcap1, sum1, _ := runRaw(t, yaml, 20)
			trace2, pcap2, _, _ := runRaw(t, yaml, 20)
			if trace1 != trace2 {
				t.Errorf("same seed: traces differ (%d and %d bytes)", len(trace1), len(trace2))
			}
			if !bytes.Equal(pcap1, pcap2) {
				t.Errorf("same seed: pcap files differ (%d and %d bytes)", len(pcap1), len(pcap2))
			}
			if s := sum1.Network.Switch; s.Lost == 0 || s.Delivered == 0 {
				t.Errorf("switch lost %d, delivered %d frames; want some of each with loss 0.2", s.Lost, s.Delivered)
			}
			for k := 1; k <= 3; k++ {
				if !strings.Contains(trace1, fmt.Sprintf(`"host":%d,`, k)) {
					t.Errorf("the trace has no event of host%d", k)
				}
			}
			trace3, pcap3, _, _ := runRaw(t, strings.Replace(yaml, "seed: 3", "seed: 4", 1), 20)
			if trace3 == trace1 || bytes.Equal(pcap3, pcap1) {
				t.Errorf("seeds 3 and 4: trace equal %v, pcap equal %v; want both different", trace3 == trace1, bytes.Equal(pcap3, pcap1))
			}
		})
	}
}
