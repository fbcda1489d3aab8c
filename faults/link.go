package faults

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mkos/mkos/boot"
	nichw "github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/user/ulib"
)

// Faults of the link between two machines: host1 sends transfers to
// host2 across the switch while an injector strikes the wire at seeded
// virtual times — a loss burst (every frame lost for a while), a
// partition (host2 cut off, then healed), reordering (a third of the
// frames delayed past the next), or host2's card losing its link — or
// host2's NIC driver (a crash, hang, garbage or slow reply, as mkos
// faults injects into servers; rs restarts the driver). The
// invariants: every transfer is intact at both ends or fails with an
// errno netproto documents or the program's own timeout (ETIMEDOUT); no
// task on either machine is blocked at the end; and once the last fault
// has healed, a transfer succeeds again.

// LinkKinds are the faults a LinkCampaign can strike: of the wire, and
// of host2's NIC driver (the kernel's injections into the "nic"
// service).
var LinkKinds = []string{"burst", "partition", "reorder", "linkdown", "nic-crash", "nic-hang", "nic-garbage", "nic-slow"}

// DefaultLinkKinds are the kinds a campaign strikes unless told: all of
// them.
var DefaultLinkKinds = slices.Clone(LinkKinds)

// nicInjections are the NIC driver's faults by kind.
var nicInjections = map[string]ipc.Injection{"nic-crash": ipc.InjectCrash, "nic-hang": ipc.InjectHang,
	"nic-garbage": ipc.InjectGarbage, "nic-slow": ipc.InjectSlow}

// LinkCampaign configures a campaign of link faults.
type LinkCampaign struct {
	// Mode places each machine's servers (default micro).
	Mode boot.Mode
	// Runs is the number of two-machine runs (default 4); PerRun the
	// faults struck in each (default 5).
	Runs, PerRun int
	// Seed seeds the campaign: run i is seeded with Seed+i.
	Seed uint64
	// Kinds are the faults to strike (default DefaultLinkKinds).
	Kinds []string
}

// LinkReport is what a link campaign found.
type LinkReport struct {
	Campaign LinkCampaign
	Struck   map[string]int
	// Withdrawn counts the NIC driver faults that had not struck
	// linkStrikeWaitNs after they were armed (no request reached the
	// driver): withdrawn, not counted in Struck.
	Withdrawn  int
	Jobs       int
	JobsOK     int
	Errnos     map[ipc.Errno]int
	Violations []string
}

// OK reports whether every invariant held.
func (r *LinkReport) OK() bool { return len(r.Violations) == 0 }

// Write prints the report.
func (r *LinkReport) Write(w io.Writer) {
	c := r.Campaign
	fmt.Fprintf(w, "mkos faults on the link: %s mode, two machines, %d runs of %d faults, seed %d\n", c.Mode, c.Runs, c.PerRun, c.Seed)
	var kinds []string
	for _, k := range LinkKinds {
		if n := r.Struck[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		}
	}
	fmt.Fprintf(w, "faults struck: %s\n", strings.Join(kinds, ", "))
	if r.Withdrawn > 0 {
		fmt.Fprintf(w, "faults withdrawn (armed on the NIC driver, no request reached it in %v): %d\n", time.Duration(linkStrikeWaitNs), r.Withdrawn)
	}
	fmt.Fprintf(w, "transfers: %d run, %d intact, %d failed\n", r.Jobs, r.JobsOK, r.Jobs-r.JobsOK)
	var errs []string
	for e, n := range r.Errnos {
		errs = append(errs, fmt.Sprintf("%s %d", errnoName(e), n))
	}
	sort.Strings(errs)
	fmt.Fprintf(w, "errors seen: %s\n", orNone(strings.Join(errs, ", ")))
	if r.OK() {
		fmt.Fprintf(w, "invariants: all held (every transfer intact or failed with a documented errno or its timeout; no task blocked at the end; transfers succeed after the last fault)\n")
		return
	}
	for _, v := range r.Violations {
		fmt.Fprintf(w, "VIOLATION: %s\n", v)
	}
}

// Link fault timing, in virtual time.
const (
	linkFaultGapNs = 30_000_000    // mean gap between faults
	linkFaultLenNs = 50_000_000    // mean length of a fault
	linkSettleNs   = 3_000_000_000 // after the last fault, before the final transfers: longer than rs takes to replace a hung driver (its ping, ~2 s)
	linkWaitNs     = 1_000_000_000
	// linkStrikeWaitNs bounds the wait for a NIC driver fault to strike
	// (longer than rs takes to replace a hung driver, so a fault armed
	// while an earlier one hangs the driver strikes its replacement);
	// linkStrikePollNs is how often the injector looks.
	linkStrikeWaitNs = 6_000_000_000
	linkStrikePollNs = 1_000_000
	linkBytes        = 32 << 10
	linkFinalJobs    = 2
	linkServerPort   = 6000
	linkMaxFailures  = 1000
	linkMaxTime      = boot.Duration(120 * time.Second) // each run's limit (virtual)
)

// RunLink runs a link campaign.
func RunLink(c LinkCampaign) (*LinkReport, error) {
	if c.Mode == "" {
		c.Mode = boot.Micro
	}
	c.Runs, c.PerRun = cmpOr(c.Runs, 4), cmpOr(c.PerRun, 5)
	if len(c.Kinds) == 0 {
		c.Kinds = DefaultLinkKinds
	}
	for _, k := range c.Kinds {
		if !slices.Contains(LinkKinds, k) {
			return nil, fmt.Errorf("link fault %q is not one of %s", k, strings.Join(LinkKinds, ", "))
		}
	}
	rep := &LinkReport{Campaign: c, Struck: map[string]int{}, Errnos: map[ipc.Errno]int{}}
	for i := range c.Runs {
		if err := runLinkOne(c, c.Seed+uint64(i), rep); err != nil {
			return nil, fmt.Errorf("run %d (seed %d): %w", i, c.Seed+uint64(i), err)
		}
	}
	return rep, nil
}

func cmpOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// linkRun is one run's shared state; the machines' tasks run one at a
// time, so it needs no lock.
type linkRun struct {
	c       *boot.Cluster
	rng     *rand.Rand
	kinds   []string
	perRun  int
	struck  []string
	faulted bool // the injector is done and the wire is healed
	jobs    []error
	final   []error // the final transfers' (also in jobs)
	done    bool    // the client is done: the server ends
	srvErr  error
	injErr  error
	// withdrawn counts the NIC driver faults that did not strike in
	// time (awaitStrike).
	withdrawn int
}

// runLinkOne boots two machines and runs the sender, the receiver and
// the injector.
func runLinkOne(c LinkCampaign, seed uint64, rep *LinkReport) error {
	cfg := boot.Default()
	cfg.Mode, cfg.Seed, cfg.Workload, cfg.Servers, cfg.Links = c.Mode, seed, boot.WorkloadConf{}, nil, nil
	cfg.Hosts = boot.HostList{{}, {}}
	// Room for every fault and the final transfers: at boot's default
	// (10 s) a run of a few hangs (~2 s each until rs replaces the
	// driver) was cut off before its final transfers ran.
	cfg.MaxTime = linkMaxTime
	cl, err := boot.BootCluster(cfg, boot.ClusterOptions{})
	if err != nil {
		return err
	}
	defer cl.Close()
	r := &linkRun{c: cl, rng: rand.New(rand.NewPCG(seed, 0x6c696e6b)), kinds: c.Kinds, perRun: c.PerRun}
	to := netip.AddrPortFrom(boot.HostAddr(2), linkServerPort)
	if _, err := cl.Spawn(2, "receiver", func(s ipc.Sys) { r.srvErr = r.receive(ulib.New(s), to) }); err != nil {
		return err
	}
	if _, err := cl.Spawn(1, "sender", func(s ipc.Sys) { r.send(ulib.New(s), to) }); err != nil {
		return err
	}
	if _, err := cl.Spawn(2, "link-injector", func(s ipc.Sys) { r.inject(s) }); err != nil {
		return err
	}
	sum, err := cl.Run()
	if err != nil {
		rep.Violations = append(rep.Violations, fmt.Sprintf("seed %d: %v", seed, err))
		return nil
	}
	for k, h := range sum.Hosts {
		if h.Summary != nil && h.Summary.TimeLimitHit {
			rep.Violations = append(rep.Violations, fmt.Sprintf("seed %d: host%d stopped at its time limit (%v) with work left", seed, k+1, time.Duration(linkMaxTime)))
		}
	}
	r.check(seed, rep)
	return nil
}

// inject strikes PerRun faults, each for a while, then heals the wire.
func (r *linkRun) inject(sys ipc.Sys) {
	sw, nic2 := r.c.Switch, r.c.NICs[1]
	for range r.perRun {
		_ = sys.Sleep(r.rng.Int64N(2 * linkFaultGapNs))
		kind := r.kinds[r.rng.IntN(len(r.kinds))]
		d := 1 + r.rng.Int64N(2*linkFaultLenNs)
		switch kind {
		case "burst":
			sw.DropUntil(sys.Now() + d)
		case "partition":
			_ = sw.SetPartition(1)
		case "reorder":
			net := r.c.Config.NetworkOrDefault()
			l := hwLink(net)
			l.Reorder = 0.3
			_ = sw.SetLink(1, l)
		case "linkdown":
			nic2.SetLink(false)
		default:
			// The injector runs on host2: the driver it strikes is
			// host2's.
			if err := sys.Inject(nicproto.Name, nicInjections[kind], 50_000_000); err != nil {
				r.injErr = fmt.Errorf("inject %s: %w", kind, err)
			}
			if !r.awaitStrike(sys) {
				r.withdrawn++
				continue
			}
		}
		r.struck = append(r.struck, kind)
		_ = sys.Sleep(d)
		sw.Heal()
		_ = sw.SetLink(1, hwLink(r.c.Config.NetworkOrDefault()))
		nic2.SetLink(true)
	}
	r.faulted = true
}

// awaitStrike waits until the fault just armed on host2's NIC driver has
// struck: it hits the next request an instance of the driver receives,
// and none does while the driver hangs from an earlier fault (until rs
// has replaced it, ~2 s) — so a fault counts, and its length runs, from
// when it strikes, not from when it was armed. A fault that has not
// struck within linkStrikeWaitNs is withdrawn (it reports false):
// either way none is left armed to strike the final transfers after
// the campaign said the last fault had healed. (Before, a hang armed
// while the first hang's instance was hung waited through the settle
// time and hung the replacement at the final transfers.)
func (r *linkRun) awaitStrike(sys ipc.Sys) bool {
	k := r.c.Hosts[1].Kernel
	for waited := int64(0); k.Armed(nicproto.Name); waited += linkStrikePollNs {
		if waited >= linkStrikeWaitNs {
			return !k.Disarm(nicproto.Name)
		}
		_ = sys.Sleep(linkStrikePollNs)
	}
	return true
}

// send runs transfers until the injector is done, waits for the wire
// and the drivers to settle, then runs linkFinalJobs more, each of which
// must succeed.
func (r *linkRun) send(p *ulib.Proc, to netip.AddrPort) {
	defer func() { r.done = true }()
	failures := 0
	for j := 0; !r.faulted && failures < linkMaxFailures; j++ {
		err := linkTransfer(p, to, j)
		r.jobs = append(r.jobs, err)
		if err != nil {
			failures++
			_ = p.Sleep(retryNs)
		}
	}
	_ = p.Sleep(linkSettleNs)
	for j := range linkFinalJobs {
		err := linkTransfer(p, to, len(r.jobs)+j)
		r.jobs = append(r.jobs, err)
		r.final = append(r.final, err)
	}
}

// linkTransfer connects (non-blocking, bounded), sends linkBytes and
// checks the receiver's CRC-32.
func linkTransfer(p *ulib.Proc, to netip.AddrPort, j int) error {
	fd, err := p.Socket(linux.AF_INET, linux.SOCK_STREAM|linux.SOCK_NONBLOCK, 0)
	if err != nil {
		return step("net", "socket", err)
	}
	defer p.Close(fd)
	if err := p.Connect(fd, to); err != nil && !errors.Is(err, linux.EINPROGRESS) {
		return step("net", "connect", err)
	}
	data := make([]byte, linkBytes)
	for i := range data {
		data[i] = byte(i*13 + j)
	}
	if err := linkWrite(p, fd, data); err != nil {
		return err
	}
	if err := p.Shutdown(fd, linux.SHUT_WR); err != nil {
		return step("net", "shutdown", err)
	}
	ans, err := linkRead(p, fd, 4)
	if err != nil {
		return err
	}
	if len(ans) != 4 {
		return step("net", "read the checksum", linux.ECONNRESET)
	}
	if got, want := binary.BigEndian.Uint32(ans), crc32.ChecksumIEEE(data); got != want {
		return wrong("net", "read", "the receiver's CRC-32 %08x differs from the sender's %08x", got, want)
	}
	return nil
}

// linkWrite writes all of b to a non-blocking socket, each wait bounded.
func linkWrite(p *ulib.Proc, fd int, b []byte) error {
	for done := 0; done < len(b); {
		if err := tcpWaitFor(p, fd, linux.POLLOUT, "write", linkWaitNs); err != nil {
			return err
		}
		n, err := p.Write(fd, b[done:])
		if errors.Is(err, linux.EAGAIN) {
			continue
		}
		if err != nil {
			return step("net", "write", err)
		}
		done += n
	}
	return nil
}

// linkRead reads up to max bytes until the end, each wait bounded.
func linkRead(p *ulib.Proc, fd int, max int) ([]byte, error) {
	var out []byte
	buf := make([]byte, 4096)
	for len(out) <= max {
		if err := tcpWaitFor(p, fd, linux.POLLIN, "read", linkWaitNs); err != nil {
			return nil, err
		}
		n, err := p.Read(fd, buf)
		if errors.Is(err, linux.EAGAIN) {
			continue
		}
		if err != nil {
			return nil, step("net", "read", err)
		}
		if n == 0 {
			return out, nil
		}
		out = append(out, buf[:n]...)
	}
	return out, nil
}

// tcpWaitFor is tcpWait with another bound.
func tcpWaitFor(p *ulib.Proc, fd int, events int16, op string, ns int64) error {
	fds := []ulib.PollFd{{Fd: fd, Events: events}}
	n, err := p.PollFds(fds, ns)
	switch {
	case err != nil:
		return step("net", "poll before "+op, err)
	case n == 0:
		return step("net", op, linux.ETIMEDOUT)
	}
	return nil
}

// check tests one run's invariants.
func (r *linkRun) check(seed uint64, rep *LinkReport) {
	for _, k := range r.struck {
		rep.Struck[k]++
	}
	rep.Withdrawn += r.withdrawn
	bad := func(format string, a ...any) {
		rep.Violations = append(rep.Violations, fmt.Sprintf("seed %d: ", seed)+fmt.Sprintf(format, a...))
	}
	if r.srvErr != nil {
		bad("the receiver failed: %v", r.srvErr)
	}
	if r.injErr != nil {
		bad("%v", r.injErr)
	}
	for i, err := range r.jobs {
		rep.Jobs++
		var e ipc.Errno
		var wo wrongOutput
		switch {
		case err == nil:
			rep.JobsOK++
		case errors.As(err, &wo):
			bad("transfer %d: %v", i, err)
		case errors.As(err, &e):
			rep.Errnos[e]++
			if !Documented(netproto.Name, e) {
				bad("transfer %d: %v (%s is not among net's documented errors)", i, err, errnoName(e))
			}
		default:
			bad("transfer %d: %v", i, err)
		}
	}
	switch {
	case len(r.final) < linkFinalJobs:
		bad("the run ended before the transfers after the last fault: %d of %d ran (faults struck: %s)", len(r.final), linkFinalJobs, strings.Join(r.struck, ", "))
	case slices.ContainsFunc(r.final, func(e error) bool { return e != nil }):
		bad("the transfers after the last fault healed did not all succeed: %v (faults struck: %s)", r.final, strings.Join(r.struck, ", "))
	}
	for k, h := range r.c.Hosts {
		for _, t := range h.Kernel.Tasks() {
			if t.State() != "receiving" && t.State() != "hung" { // a hung driver instance rs replaced
				bad("host%d: task %s is blocked (%s) at the end", k+1, t.Name(), t.State())
			}
		}
	}
}

// hwLink is the switch's link for the network: section, as the cluster
// wires it.
func hwLink(n boot.NetworkConf) nichw.Link {
	return nichw.Link{LatencyNs: int64(n.Latency), Loss: n.Loss, Dup: n.Dup, Reorder: n.Reorder, ReorderNs: int64(n.ReorderDelay)}
}
