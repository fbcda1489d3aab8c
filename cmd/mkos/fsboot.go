package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/fs/layout"
)

// Booting a system headless for the file tools (cp, run -c): the kernel,
// the disk and its driver, the file server, and one user program — no demo
// workload, no time limit unless the command sets one (cp --max-time).

// fsConfig turns cfg into the configuration of a headless file system
// run: the file server placed, a disk (in memory when cfg has none), no
// workload.
func fsConfig(cfg boot.Config) boot.Config {
	cfg.Workload = boot.WorkloadConf{}
	cfg.MaxTime = 0
	if !slices.ContainsFunc(cfg.Servers, func(s boot.ServerConf) bool { return s.Name == fsproto.Name }) {
		cfg.Servers = append(slices.Clip(cfg.Servers), boot.ServerConf{Name: fsproto.Name})
	}
	if cfg.Disk == nil {
		cfg.Disk = &boot.DiskConf{Size: 16 << 20}
	}
	return cfg
}

// runHeadless boots cfg, formats a disk that has never held a file system
// (all zeros in block 0) when format is set, runs body as a user task, and
// writes the disk image back.
func runHeadless(cfg boot.Config, format bool, note io.Writer, body func(sys ipc.Sys)) error {
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return err
	}
	defer sys.Close()
	if format {
		if err := formatIfBlank(sys, cfg.Disk.Image, note); err != nil {
			return err
		}
	}
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "tool", Body: body}); err != nil {
		return err
	}
	if _, err := sys.Run(); err != nil {
		return err
	}
	if sys.Kernel.TimeLimitHit() {
		return &stopped{exitTimeLimit, fmt.Sprintf("the time limit, %s of virtual time, was reached before the copy finished: nothing was changed", kernel.FormatNs(int64(cfg.MaxTime)))}
	}
	return sys.Close()
}

// formatIfBlank puts a new file system on the system's disk (or RAID)
// when its block 0 is zeros.
func formatIfBlank(sys *boot.System, image string, note io.Writer) error {
	dev := sys.BlockDev()
	if dev == nil {
		return nil
	}
	b := make([]byte, dev.BlockSize())
	if err := dev.ReadBlocks(0, b); err != nil {
		return err
	}
	if !bytes.Equal(b, make([]byte, len(b))) {
		return nil
	}
	sb, err := layout.Plan(dev.Blocks()*int64(dev.BlockSize()), 0, 0)
	if err != nil {
		return err
	}
	if image != "" {
		fmt.Fprintf(note, "mkos: %s is blank: formatting a new file system (%d blocks)\n", image, sb.Blocks)
	}
	return boot.Mkfs(dev, sb)
}
