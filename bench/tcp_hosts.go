package bench

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/user/ulib"
)

// TCP across two machines: host1 sends to host2 through both machines'
// net servers, NIC drivers and cards and the simulated switch (boot's
// hosts: and network:, default 1 Gbit/s links with 50 µs latency). One
// cluster run makes a bulk transfer (TCPHostsBytes, CRC-32 checked by
// the sink) and then TCPHostsRounds request/response round trips of
// tcpMsgBytes. Host time is the whole run's, per frame the switch
// carried: what simulating one frame end to end costs this machine.

// TCPHostsModes are the modes the two-machine measurement runs in.
var TCPHostsModes = []boot.Mode{boot.Micro, boot.Mono, boot.Hybrid}

// The two-machine TCP measurement's sizes.
const (
	TCPHostsBytes  = 4 << 20
	TCPHostsRounds = 200
)

// TCPHosts is the two-machine TCP measurement in one placement.
type TCPHosts struct {
	Mode    boot.Mode `json:"mode"`
	Profile string    `json:"profile"`
	// BulkMbps is the bulk transfer's throughput in virtual time, from
	// the first byte sent to the sink's checksum back.
	BulkMbps float64 `json:"bulk_mbps_virtual"`
	// RTTNs is a request/response round trip's mean in virtual time;
	// P99Ns its 99th percentile.
	RTTNs int64 `json:"rr_mean_ns_virtual"`
	P99Ns int64 `json:"rr_p99_ns_virtual"`
	// Frames is the frames the switch carried; HostNsPerFrame the host
	// time of the run over them.
	Frames         int64   `json:"frames"`
	HostNsPerFrame float64 `json:"host_ns_per_frame"`
}

// measureTCPHosts runs the two-machine measurement in each mode of o's
// placements it can, when o asks for a tcp workload.
func measureTCPHosts(o Options) ([]TCPHosts, error) {
	if !slices.ContainsFunc(o.Workloads, func(w string) bool { return strings.HasPrefix(w, "tcp") }) {
		return nil, nil
	}
	var out []TCPHosts
	for _, m := range TCPHostsModes {
		if !slices.ContainsFunc(o.Placements, func(p Placement) bool { return p.Setup.Mode == m }) {
			continue
		}
		r, err := MeasureTCPHosts(m, o.Profiles[0])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// hostsRun is what the two machines' tasks report.
type hostsRun struct {
	bulkNs      int64
	rtts        []int64
	client, srv error
}

// MeasureTCPHosts boots two machines in mode under profile and measures
// TCP between them.
func MeasureTCPHosts(mode boot.Mode, profile string) (TCPHosts, error) {
	cfg := boot.Default()
	cfg.Mode, cfg.Workload, cfg.Servers, cfg.Links = mode, boot.WorkloadConf{}, nil, nil
	if profile != "" {
		cfg.Profile = profile
	}
	cfg.Hosts = boot.HostList{{}, {}}
	c, err := boot.BootCluster(cfg, boot.ClusterOptions{})
	if err != nil {
		return TCPHosts{}, err
	}
	defer c.Close()
	r := &hostsRun{}
	to := netip.AddrPortFrom(boot.HostAddr(2), tcpPort)
	if _, err := c.Spawn(2, "tcp-server", func(s ipc.Sys) { r.srv = hostsServe(ulib.New(s), to) }); err != nil {
		return TCPHosts{}, err
	}
	if _, err := c.Spawn(1, "tcp-client", func(s ipc.Sys) { r.client = hostsClient(ulib.New(s), to, r) }); err != nil {
		return TCPHosts{}, err
	}
	start := time.Now()
	sum, err := c.Run()
	host := time.Since(start)
	switch {
	case err != nil:
		return TCPHosts{}, err
	case r.client != nil:
		return TCPHosts{}, fmt.Errorf("tcp across two machines, client: %w", r.client)
	case r.srv != nil:
		return TCPHosts{}, fmt.Errorf("tcp across two machines, server: %w", r.srv)
	case len(r.rtts) != TCPHostsRounds || r.bulkNs <= 0:
		return TCPHosts{}, fmt.Errorf("tcp across two machines: the client did not finish")
	}
	slices.Sort(r.rtts)
	var total int64
	for _, x := range r.rtts {
		total += x
	}
	frames := sum.Network.Switch.Frames
	return TCPHosts{Mode: mode, Profile: cfg.Profile, BulkMbps: float64(TCPHostsBytes) * 8 / float64(r.bulkNs) * 1e3,
		RTTNs: total / int64(len(r.rtts)), P99Ns: r.rtts[len(r.rtts)*99/100], Frames: frames,
		HostNsPerFrame: float64(host.Nanoseconds()) / float64(max(frames, 1))}, nil
}

// hostsServe accepts two connections: a sink for the bulk transfer, then
// an echo for the round trips.
func hostsServe(p *ulib.Proc, at netip.AddrPort) error {
	ls, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	if err := p.Bind(ls, at); err != nil {
		return err
	}
	if err := p.Listen(ls, 2); err != nil {
		return err
	}
	for _, serve := range []func(*ulib.Proc, int, *tcpState) error{tcpSink, tcpEcho} {
		fd, _, err := p.Accept(ls)
		if err != nil {
			return err
		}
		if err := serve(p, fd, nil); err != nil {
			return err
		}
		if err := p.Close(fd); err != nil {
			return err
		}
	}
	return p.Close(ls)
}

// dial connects to the server, waiting for it to listen.
func dial(p *ulib.Proc, to netip.AddrPort) (int, error) {
	for try := 0; ; try++ {
		fd, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM, 0)
		if err != nil {
			return -1, err
		}
		err = p.Connect(fd, to)
		if err == nil {
			return fd, nil
		}
		_ = p.Close(fd)
		if err != linux.ECONNREFUSED || try == 100 {
			return -1, fmt.Errorf("connect %s: %w", to, err)
		}
		_ = p.Sleep(1_000_000)
	}
}

// hostsClient makes the bulk transfer, then the round trips.
func hostsClient(p *ulib.Proc, to netip.AddrPort, r *hostsRun) error {
	fd, err := dial(p, to)
	if err != nil {
		return err
	}
	buf := make([]byte, 64<<10)
	for i := range buf {
		buf[i] = byte(i*7 + i>>8)
	}
	start := p.Sys.Now()
	var crc uint32
	for sent := 0; sent < TCPHostsBytes; sent += len(buf) {
		if err := writeFull(p, fd, buf); err != nil {
			return fmt.Errorf("bulk at byte %d: %w", sent, err)
		}
		crc = crc32.Update(crc, crc32.IEEETable, buf)
	}
	if err := p.Shutdown(fd, linux.SHUT_WR); err != nil {
		return err
	}
	ans := make([]byte, 12)
	if err := readFull(p, fd, ans); err != nil {
		return fmt.Errorf("the sink's answer: %w", err)
	}
	r.bulkNs = p.Sys.Now() - start
	if n, got := binary.BigEndian.Uint64(ans), binary.BigEndian.Uint32(ans[8:]); n != TCPHostsBytes || got != crc {
		return fmt.Errorf("transfer corrupted: sent %d bytes crc %08x, the sink read %d crc %08x", TCPHostsBytes, crc, n, got)
	}
	if err := p.Close(fd); err != nil {
		return err
	}
	if fd, err = dial(p, to); err != nil {
		return err
	}
	msg, back := make([]byte, tcpMsgBytes), make([]byte, tcpMsgBytes)
	for i := range TCPHostsRounds {
		binary.BigEndian.PutUint64(msg, uint64(i))
		t0 := p.Sys.Now()
		if err := writeFull(p, fd, msg); err != nil {
			return err
		}
		if err := readFull(p, fd, back); err != nil {
			return err
		}
		if string(back) != string(msg) {
			return fmt.Errorf("round %d: the echo differs", i)
		}
		r.rtts = append(r.rtts, p.Sys.Now()-t0)
	}
	return p.Close(fd)
}
