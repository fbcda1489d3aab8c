package tests

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/kernel"
)

// diskFlag adds a flag that sets a field of the configuration's disk:
// section, which must exist.
func diskFlag(fs *flag.FlagSet, name string, cfg *boot.Config, set func(*boot.DiskConf, string)) {
	fs.Func(name, "", func(v string) error {
		if cfg.Disk == nil {
			return errors.New("no disk: section to change")
		}
		set(cfg.Disk, v)
		return nil
	})
}

// diskio boots the base system with its disk and reads the listed blocks,
// one client each: the first at once, the rest queued behind it.
func (s *scenario) diskio(args []string) (string, error) {
	cfg, rest, err := s.flags("diskio", args)
	if err != nil {
		return "", err
	}
	list, ok := strings.CutPrefix(strings.Join(rest, " "), "reads=")
	if len(rest) != 1 || !ok {
		return "", fmt.Errorf("diskio: want reads=B,B,… after the flags, have %q", rest)
	}
	var blocks []int64
	for _, f := range strings.Split(list, ",") {
		b, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return "", fmt.Errorf("diskio: reads: %w", err)
		}
		blocks = append(blocks, b)
	}
	cfg.Workload.Clients = 0
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return "error: " + err.Error(), nil
	}
	defer sys.Close()
	if sys.Disk == nil {
		return "error: no disk: section", nil
	}
	var sb strings.Builder
	failed := map[string]int{} // reads that failed, by error
	var stats diskproto.DriverStats
	var lastNs int64
	for i, b := range blocks {
		sys.Kernel.Spawn(ipc.TaskSpec{Name: fmt.Sprint("reader", i), Body: func(sys ipc.Sys) {
			if i > 0 {
				sys.Sleep(100_000)
			}
			if err := diskClient(sys).ReadBlocks(b, 1, make([]byte, 4096)); err != nil {
				failed[fmt.Sprintf("read %d: %v", b, err)]++
			}
			lastNs = max(lastNs, sys.Now())
		}})
	}
	sys.Kernel.Spawn(ipc.TaskSpec{Name: "stats", Body: func(sys ipc.Sys) {
		sys.Sleep(int64(cfg.MaxTime) / 2)
		stats, _ = diskClient(sys).Stats()
	}})
	sum, runErr := sys.Run()
	fmt.Fprintf(&sb, "%d of %d reads ok; the last done at %s\n", len(blocks)-len(failed), len(blocks), kernel.FormatNs(lastNs))
	for _, f := range slices.Sorted(maps.Keys(failed)) {
		fmt.Fprintf(&sb, "  %s\n", f)
	}
	fmt.Fprintf(&sb, "driver: %d requests, %d seeks over %d blocks, deepest queue %d\n", stats.Requests, stats.Seeks, stats.SeekDistance, stats.MaxQueue)
	fmt.Fprintf(&sb, "%s\n", sum.Disk)
	if runErr != nil {
		fmt.Fprintf(&sb, "halted: %v\n", runErr)
	}
	return sb.String(), nil
}

func diskClient(sys ipc.Sys) diskproto.Client {
	id, _ := sys.Lookup(diskproto.Name)
	return diskproto.Client{Sys: sys, Dst: ipc.ServiceEndpoint(id)}
}
