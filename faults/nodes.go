package faults

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
)

// Faults across nodes (`mkos faults --nodes N`). Each run is a cluster in
// one process (boot/cluster): clients on node "a" call echo, which every
// other node exports; one node fault strikes a server node at a seeded
// virtual time — kill (the node stops), partition (cut off the wire for a
// while) or slow (extra latency on every frame it receives). The same
// invariants hold as on one machine, where they apply: no kernel panic,
// every errno documented for its protocol, every output correct or failed
// with an errno, no task blocked forever; and the service answers again
// once the fault is over (a killed node's share goes to the survivors).

// NodeKinds are the faults across nodes.
var NodeKinds = []string{"kill", "partition", "slow"}

// NodeCampaign configures a campaign across nodes.
type NodeCampaign struct {
	// Nodes is the cluster's size: node a runs the clients, the others
	// echo (default 3).
	Nodes int
	// Runs is the number of runs, one fault each; run i is seeded with
	// Seed+i.
	Runs  int
	Seed  uint64
	Kinds []string
	// Clients and Calls size the workload (default 2 and 40).
	Clients, Calls int
}

// NodeRun is what one run did.
type NodeRun struct {
	Seed       uint64
	Fault      string
	Errors     map[string]int // user-visible errors, by text
	Violations []string
}

// NodeReport is a campaign's result.
type NodeReport struct {
	Campaign NodeCampaign
	Runs     []NodeRun
	Faults   map[string]int
	Errors   map[string]int
}

// OK reports whether no run broke an invariant.
func (r *NodeReport) OK() bool {
	return !slices.ContainsFunc(r.Runs, func(n NodeRun) bool { return len(n.Violations) > 0 })
}

const nodeCallGapNs = 500_000 // between two calls of a client

// RunNodes runs the campaign, one run after the other (a run's nodes
// already take turns on one timeline).
func RunNodes(c NodeCampaign) (*NodeReport, error) {
	if c.Nodes == 0 {
		c.Nodes = 3
	}
	if c.Nodes < 2 || c.Nodes > 16 {
		return nil, fmt.Errorf("--nodes: %d is out of range 2..16", c.Nodes)
	}
	if c.Clients == 0 {
		c.Clients = 2
	}
	if c.Calls == 0 {
		c.Calls = 40
	}
	if len(c.Kinds) == 0 {
		c.Kinds = NodeKinds
	}
	for _, k := range c.Kinds {
		if !slices.Contains(NodeKinds, k) {
			return nil, fmt.Errorf("--kinds: %q is not one of %s", k, strings.Join(NodeKinds, ", "))
		}
	}
	r := &NodeReport{Campaign: c, Faults: map[string]int{}, Errors: map[string]int{}}
	for i := range max(c.Runs, 1) {
		run, err := runNode(c, c.Seed+uint64(i))
		if err != nil {
			return nil, err
		}
		r.Faults[strings.Fields(run.Fault)[0]]++
		for e, n := range run.Errors {
			r.Errors[e] += n
		}
		r.Runs = append(r.Runs, *run)
	}
	return r, nil
}

// nodesYAML is the cluster of a run: clients on a, echo on the others,
// a short timeout so that a lost call fails soon.
func nodesYAML(n int) string {
	var b strings.Builder
	b.WriteString("mode: micro\nworkload: {clients: 0}\ncluster: {timeout: 2ms}\nnodes:\n  - {name: a, servers: []}\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  - {name: n%d, servers: [{name: echo}]}\n", i)
	}
	return b.String()
}

// runNode makes one run with seed.
func runNode(c NodeCampaign, seed uint64) (*NodeRun, error) {
	cfg, err := boot.Parse([]byte(nodesYAML(c.Nodes)))
	if err != nil {
		return nil, err
	}
	cfg.Seed = seed
	cl, err := cluster.New(cfg, cluster.Options{})
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	run := &NodeRun{Seed: seed, Errors: map[string]int{}}
	rng := rand.New(rand.NewPCG(seed, 0x6e6f646573))
	target := fmt.Sprintf("n%d", 1+rng.IntN(c.Nodes-1))
	span := int64(c.Calls) * nodeCallGapNs
	at := span/8 + rng.Int64N(span/2)
	switch kind := c.Kinds[rng.IntN(len(c.Kinds))]; kind {
	case "kill":
		cl.Kill(target, at)
		run.Fault = fmt.Sprintf("kill %s at %dns", target, at)
	case "partition":
		until := at + 1_000_000 + rng.Int64N(span/4)
		cl.Partition(target, at, until)
		run.Fault = fmt.Sprintf("partition %s from %dns to %dns", target, at, until)
	case "slow":
		extra := 100_000 + rng.Int64N(1_500_000) // under the timeout: late answers, no errors
		cl.Slow(target, at, extra)
		run.Fault = fmt.Sprintf("slow %s by %dns from %dns", target, extra, at)
	}
	outs := make([][]error, c.Clients)
	a := cl.Node("a").System.Kernel
	user := ipc.UserPriv()
	for i := range c.Clients {
		if _, err := a.Spawn(ipc.TaskSpec{Name: fmt.Sprintf("client%d", i), Priv: &user, Body: nodeClient(c.Calls, i, &outs[i])}); err != nil {
			return nil, err
		}
	}
	if _, err := cl.Run(); err != nil {
		run.Violations = append(run.Violations, InvPanic+": "+err.Error())
	}
	survivor := !strings.HasPrefix(run.Fault, "kill") || c.Nodes > 2
	checkNodeRun(run, c, outs, survivor)
	return run, nil
}

// nodeClient calls echo calls times with a bulk window and records each
// call's error (nil: the right answer).
func nodeClient(calls, id int, out *[]error) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		dst, err := ipc.Dial(sys, echoproto.Name)
		if err != nil {
			*out = append(*out, err)
			return
		}
		got := make([]byte, 64)
		for i := range calls {
			sys.Sleep(nodeCallGapNs)
			in := []byte(fmt.Sprintf("client %d call %d", id, i))
			n, err := echoproto.Call(sys, dst, in, got)
			if err == nil && string(got[:n]) != string(in) {
				err = errWrongOutput
			}
			*out = append(*out, err)
		}
	}
}

var errWrongOutput = fmt.Errorf("wrong output")

// checkNodeRun checks a run's invariants from what the clients saw.
// survivor says a node exporting echo outlives the fault: only then must
// the last calls succeed (no rs starts a replacement on another node).
func checkNodeRun(run *NodeRun, c NodeCampaign, outs [][]error, survivor bool) {
	for i, errs := range outs {
		if len(errs) != c.Calls {
			run.Violations = append(run.Violations, fmt.Sprintf("%s: client %d made %d of %d calls", InvBlocked, i, len(errs), c.Calls))
			continue
		}
		for _, err := range errs {
			if err == nil {
				continue
			}
			run.Errors[err.Error()]++
			switch e, ok := err.(ipc.Errno); {
			case err == errWrongOutput:
				run.Violations = append(run.Violations, InvOutput+": an echo came back different")
			case !ok || !echoproto.Errnos.Has(e) && !ipc.CallErrnos.Has(e):
				run.Violations = append(run.Violations, fmt.Sprintf("%s: %v", InvErrno, err))
			}
		}
		if survivor && errs[len(errs)-1] != nil {
			run.Violations = append(run.Violations, fmt.Sprintf("%s: client %d's last call failed: %v", InvServices, i, errs[len(errs)-1]))
		}
	}
}

// Write prints the report: faults by kind, errors by text, and each
// violating run with the command that replays it.
func (r *NodeReport) Write(w io.Writer, show int) {
	c := r.Campaign
	fmt.Fprintf(w, "%d runs across %d nodes (clients on a, echo on the others), one node fault each\n\n", len(r.Runs), c.Nodes)
	fmt.Fprintln(w, "faults:")
	for _, k := range NodeKinds {
		if r.Faults[k] > 0 {
			fmt.Fprintf(w, "  %-10s %d\n", k, r.Faults[k])
		}
	}
	fmt.Fprintln(w, "errors seen by the clients:")
	keys := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-28s %d\n", k, r.Errors[k])
	}
	bad := 0
	for _, run := range r.Runs {
		if len(run.Violations) == 0 {
			continue
		}
		if bad++; bad <= show {
			fmt.Fprintf(w, "violation in run seed %d (%s): %s\n  replay: mkos faults --nodes %d --node-kinds %s --count 1 --seed %d\n",
				run.Seed, run.Fault, strings.Join(run.Violations, "; "), c.Nodes, strings.Join(c.Kinds, ","), run.Seed)
		}
	}
	if bad == 0 {
		fmt.Fprintln(w, "invariants: all held (no kernel panic, errnos documented, outputs correct, no task blocked, service back after the fault)")
	}
}
