package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/boot/cluster"
	"github.com/mkos/mkos/kernel"
)

// runNodes runs `mkos run --nodes N` (or a configuration with nodes:):
// the nodes in this process over an embedded NATS server, reproducible
// for a seed. With --trace FILE each node writes FILE.NODE.
func runNodes(cmd *cobra.Command, f *runFlags, cfg boot.Config) error {
	traces := map[string]*traceFile{}
	defer func() {
		for _, t := range traces {
			t.close()
		}
	}()
	var openErr error
	o := cluster.Options{Nodes: f.nodes}
	if f.trace != "" {
		o.Tracer = func(node string) kernel.Tracer {
			t, err := openTrace(f.trace + "." + node)
			if err != nil {
				openErr = errors.Join(openErr, err)
				return nil
			}
			traces[node] = t
			return t.tracer()
		}
	}
	c, err := cluster.New(cfg, o)
	if err != nil {
		return errors.Join(err, openErr)
	}
	defer c.Close()
	if openErr != nil {
		return openErr
	}
	sums, runErr := c.Run()
	for _, t := range traces {
		if err := t.close(); err != nil {
			return err
		}
	}
	writeNodes(cmd.OutOrStdout(), c, sums, f.json)
	if runErr != nil {
		return halted(cmd, runErr)
	}
	for i, n := range c.Nodes {
		if n.System.Config.Workload.Clients > 0 && sums[i].Workload.Finished < n.System.Config.Workload.Clients {
			return &stopped{exitUnfinished, fmt.Sprintf("node %s: %d of %d demo clients finished", n.Name, sums[i].Workload.Finished, n.System.Config.Workload.Clients)}
		}
	}
	return nil
}

// writeNodes prints each node's summary under its name.
func writeNodes(w io.Writer, c *cluster.Cluster, sums []*boot.Summary, asJSON bool) {
	for i, n := range c.Nodes {
		fmt.Fprintf(w, "== node %s (exports %v, imports %v)\n", n.Name, n.System.Config.Node.Exports, n.System.Config.Node.Imports)
		if asJSON {
			_ = sums[i].JSON(w)
		} else {
			sums[i].Write(w)
		}
	}
}

// newNodeCmd is `mkos node`: one node of a cluster, in this process,
// joined to the others through a NATS server.
func newNodeCmd() *cobra.Command {
	var url, config, name string
	var serveFor time.Duration
	var asJSON, exitIdle bool
	cmd := &cobra.Command{
		Use:   "node",
		Short: "Run one node of a cluster, joined to the others over NATS",
		Long: `Boot the node NAME of the cluster the configuration describes (its nodes:
section) and join the others — in other mkos processes, on this machine or
others — through the NATS server at URL (mkos nats starts one). Services
the other nodes run are called through this node's gateway, and this
node's services are served to them (docs/cluster.md).

Such a node hears the others when their frames arrive: unlike mkos run
--nodes, its run is not reproducible. It runs until its max_time, until
interrupted (Ctrl-C), or for --for of host time, then prints its summary.`,
		Example: `  mkos nats --port 4222 &
  mkos node --nats nats://127.0.0.1:4222 --config cluster.yaml --name b &
  mkos node --nats nats://127.0.0.1:4222 --config cluster.yaml --name a`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := boot.Load(config)
			if err != nil {
				return err
			}
			c, err := cluster.Join(cfg, name, url, cluster.Options{ExitWhenIdle: exitIdle})
			if err != nil {
				return err
			}
			defer c.Close()
			stopOn(c, serveFor)
			sums, runErr := c.Run()
			writeNodes(cmd.OutOrStdout(), c, sums, asJSON)
			return runErr
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&url, "nats", "nats://127.0.0.1:4222", "URL of the NATS server the nodes share")
	fl.StringVar(&config, "config", "", "the cluster's boot configuration (YAML, with nodes:)")
	fl.StringVar(&name, "name", "", "this node's name in nodes:")
	fl.DurationVar(&serveFor, "for", 0, "stop after this much host time (0: at max_time or Ctrl-C)")
	fl.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	fl.BoolVar(&exitIdle, "exit-when-idle", false, "end once this node has nothing to do and no call on the wire (a node that only runs a workload)")
	_ = cmd.MarkFlagRequired("config")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

// stopOn stops the cluster on Ctrl-C, or after d of host time.
func stopOn(c *cluster.Cluster, d time.Duration) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() {
		<-sig
		c.Stop()
	}()
	if d > 0 {
		time.AfterFunc(d, c.Stop)
	}
}

// newNatsCmd is `mkos nats`: a standalone embedded NATS server.
func newNatsCmd() *cobra.Command {
	var host string
	var port int
	cmd := &cobra.Command{
		Use:   "nats",
		Short: "Run a NATS server for nodes in other processes (mkos node)",
		Long: `Start the NATS server embedded in mkos (nothing to install), listening on
HOST:PORT, for the nodes of a cluster that run in other processes or on
other machines (mkos node --nats nats://HOST:PORT). It runs until
interrupted.`,
		Example: `  mkos nats --port 4222
  mkos nats --host 0.0.0.0 --port 4222`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			url, stop, err := cluster.Serve(host, port)
			if err != nil {
				return err
			}
			defer stop()
			fmt.Fprintln(cmd.OutOrStdout(), "mkos: NATS server at", url)
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt)
			<-sig
			return nil
		},
	}
	cmd.Flags().StringVar(&host, "host", "127.0.0.1", "address to listen on (0.0.0.0: every interface)")
	cmd.Flags().IntVar(&port, "port", 4222, "port to listen on (0: any free port)")
	return cmd
}
