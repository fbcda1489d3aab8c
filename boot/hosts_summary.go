package boot

import (
	"encoding/json"
	"fmt"
	"io"

	nichw "github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/kernel"
)

// ClusterSummary is what a cluster's run did: each machine's summary and
// what the wire carried.
type ClusterSummary struct {
	Seed    uint64        `json:"seed"`
	Hosts   []HostSummary `json:"hosts"`
	Network WireSummary   `json:"network"`
}

// HostSummary is one machine's part: its name, address and card, and
// the summary a run of it alone would print.
type HostSummary struct {
	Name    string      `json:"name"`
	Addr    string      `json:"addr"`
	MAC     string      `json:"mac"`
	NIC     nichw.Stats `json:"nic"`
	Summary *Summary    `json:"summary"`
}

// WireSummary is the network: section's parameters and the switch's
// counters.
type WireSummary struct {
	LatencyNs int64             `json:"latency_ns"`
	SpeedBps  int64             `json:"speed_bps"`
	Loss      float64           `json:"loss"`
	Reorder   float64           `json:"reorder"`
	Dup       float64           `json:"dup"`
	MTU       int               `json:"mtu"`
	Switch    nichw.SwitchStats `json:"switch"`
	// PcapFrames is the number of frames the pcap file holds (0 without
	// one).
	PcapFrames int64 `json:"pcap_frames,omitempty"`
}

func (c *Cluster) summarize() *ClusterSummary {
	n := c.Config.NetworkOrDefault()
	sum := &ClusterSummary{Seed: c.Config.Seed, Network: WireSummary{LatencyNs: int64(n.Latency), SpeedBps: int64(n.Speed),
		Loss: n.Loss, Reorder: n.Reorder, Dup: n.Dup, MTU: n.MTU, Switch: c.Switch.Stats()}}
	if c.pcap != nil {
		sum.Network.PcapFrames = c.pcap.Frames()
	}
	for i, s := range c.Hosts {
		h := HostSummary{Name: c.Config.HostNameOf(i + 1), Addr: HostAddr(i + 1).String(), Summary: s.summarize()}
		if i < len(c.NICs) {
			h.MAC, h.NIC = c.NICs[i].MAC().String(), c.NICs[i].Stats()
		}
		sum.Hosts = append(sum.Hosts, h)
	}
	return sum
}

// Write prints the summary for people: the wire, then each machine's
// summary under its name.
func (s *ClusterSummary) Write(w io.Writer) {
	n := s.Network
	st := n.Switch
	fmt.Fprintf(w, "network: %d machines on one switch, latency %s, %s, loss %g, reorder %g, dup %g, MTU %d\n",
		len(s.Hosts), kernel.FormatNs(n.LatencyNs), Bitrate(n.SpeedBps), n.Loss, n.Reorder, n.Dup, n.MTU)
	fmt.Fprintf(w, "  switch: %d frames in, %d delivered, %d flooded, %d lost, %d in bursts, %d partitioned, %d faulted, %d duplicated, %d reordered\n",
		st.Frames, st.Delivered, st.Flooded, st.Lost, st.Burst, st.Partitioned, st.Faulted, st.Duplicated, st.Reordered)
	for _, h := range s.Hosts {
		c := h.NIC
		fmt.Fprintf(w, "\n== %s %s (%s): card sent %d frames (%d bytes), received %d (%d bytes), dropped %d\n",
			h.Name, h.Addr, h.MAC, c.TxFrames, c.TxBytes, c.RxFrames, c.RxBytes, c.RxDropped)
		h.Summary.Write(w)
	}
}

// JSON writes the summary as indented JSON.
func (s *ClusterSummary) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
