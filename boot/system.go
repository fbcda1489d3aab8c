package boot

import (
	"errors"
	"fmt"
	nichw "github.com/mkos/mkos/drivers/nic/hw"
	"time"

	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	ttyhw "github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/kernel/watchdog"
	"github.com/mkos/mkos/sched"
	"github.com/mkos/mkos/servers/fs/layout"
	"github.com/mkos/mkos/user/workload"
)

// System is a booted system: the kernel, the servers placed in it or
// spawned as tasks, the reincarnation server and the workload.
type System struct {
	Config Config
	Kernel *kernel.Kernel
	Tally  workload.Tally
	// Pathfinder is what the pathfinder workload's tasks saw.
	Pathfinder workload.PathfinderTally
	// Restarts is rs's restart log, as rs reports it (rs.go).
	Restarts []Restart
	// Disk is the simulated disk, nil without a disk: section (or when
	// the section makes a RAID). Close writes its image back.
	Disk *hw.Disk
	// RAID is the disk: section's RAID, when it has one (raid.go).
	RAID *RAIDDisks
	// SwapDisk is the swap device, when one is configured (swap:).
	SwapDisk *hw.Disk
	// NIC is the network card, nil without a nic: section (nic.go).
	NIC *nichw.NIC
	// UART is the console's hardware, nil without a console: section.
	// Close stops its live keyboard.
	UART  *ttyhw.UART
	mem   memReporter // the memory manager's latest instance (memory.go)
	watch *watchdog.Watchdog
	pids  map[string]int            // host PID of each process-placed service's newest process (process.go)
	arms  map[string]*procplace.Arm // host faults armed per process-placed service
	// onInitExit, when set, runs as init exits (a cluster's primary
	// machine ends the run: hosts.go).
	onInitExit func()
	closed     bool
}

// Boot creates the kernel and places the servers as cfg says; tracer may be
// nil. The workload, if any, is started; Run runs it all.
func Boot(cfg Config, tracer kernel.Tracer) (*System, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	k, err := kernel.New(kernel.Config{
		CPUs: cfg.CPUs, Policy: cfg.Policy, Sched: sched.Params{QuantumTicks: cfg.QuantumTicks},
		HZ: cfg.HZ, Profile: kernel.Profiles[cfg.Profile], Seed: cfg.Seed,
		ServiceWaitNs: int64(cfg.ServiceWait), BusWindowNs: int64(cfg.BusWindow), MaxTimeNs: int64(cfg.MaxTime), Trace: tracer,
		Memory:                kernel.MemConfig{Frames: cfg.Memory.Frames, TLBEntries: cfg.Memory.TLBEntries, TLBTagged: cfg.Memory.TLBTagged},
		NoPriorityInheritance: cfg.PriorityInheritance != nil && !*cfg.PriorityInheritance,
		GlobalQueue:           cfg.GlobalQueue,
		Route:                 cfg.route(),
	})
	if err != nil {
		return nil, err
	}
	s := &System{Config: cfg, Kernel: k, watch: watchdog.New(k, time.Duration(cfg.Watchdog))}
	s.Config.keep = nil // every boot has its own kept state
	s.Config.state().pulse = s.watch.Pulse()
	if err := s.attachDisk(); err != nil {
		return nil, err
	}
	if err := s.attachConsole(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.attachNIC(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.declareImports(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.placeServers(); err != nil {
		s.Close()
		return nil, err
	}
	s.startWorkload()
	return s, nil
}

// placeServers puts the servers placed in the kernel there, in start
// order, and hands the ones in user space to rs (startRS).
func (s *System) placeServers() error {
	order, err := s.Config.startOrder()
	if err != nil {
		return err
	}
	for _, sc := range order {
		if sc.Name == "ds" {
			if _, err := s.Config.state().dsStore(&s.Config); err != nil {
				return err // the data store's file cannot be opened: say so now
			}
		}
	}
	for _, sc := range order {
		if !s.Config.InKernel(sc) {
			continue
		}
		impl := sc.Impl
		if impl == "" {
			impl = sc.Name
		}
		if _, err := s.Kernel.Place(sc.Name, s.noteServer(Servers[impl](&s.Config))); err != nil {
			return fmt.Errorf("place %s in the kernel: %w", sc.Name, err)
		}
	}
	if err := s.restrictCallers(order); err != nil {
		return err
	}
	if err := s.startRS(order); err != nil {
		return err
	}
	for _, l := range s.Config.Links {
		if err := s.Kernel.Link(l.From, l.To); err != nil {
			return err
		}
	}
	return nil
}

// attachDisk opens the configured disk and attaches it to the disk
// service: its interrupts reach the driver wherever it is placed, and
// whichever instance is alive.
func (s *System) attachDisk() error {
	dc := s.Config.Disk
	if dc == nil {
		return s.attachSwap()
	}
	if dc.Raid != nil {
		if err := s.attachRAID(dc); err != nil {
			return err
		}
		return s.attachSwap()
	}
	d, err := hw.Open(hw.Options{Image: dc.Image, SizeBytes: int64(dc.Size), BlockSize: dc.BlockSize, Kind: dc.Kind})
	if err != nil {
		return err
	}
	if _, err := s.Kernel.Attach(d, diskproto.Name, disk.IRQ); err != nil {
		d.Close()
		return err
	}
	s.Disk = d
	return s.attachSwap()
}

// FormatDisk puts a fresh file system with the root tree (Mkfs) on the
// system's disk, offline (directly, not through the driver): call it
// after Boot and before Run, as mkfs would before a boot.
func (s *System) FormatDisk() error {
	if s.RAID != nil {
		dev := s.RAID.Dev()
		sb, err := layout.Plan(dev.Blocks()*int64(dev.BlockSize()), 0, 0)
		if err != nil {
			return err
		}
		return Mkfs(dev, sb)
	}
	if s.Disk == nil {
		return fmt.Errorf("format: the system has no disk")
	}
	sb, err := layout.Plan(s.Disk.Blocks()*int64(s.Disk.BlockSize()), 0, 0)
	if err != nil {
		return err
	}
	return Mkfs(s.Disk, sb)
}

// swapDevice is the swap disk's device name.
const swapDevice = "swap0"

// attachSwap opens the configured swap disk and attaches it to the swap
// driver's service.
func (s *System) attachSwap() error {
	sc := s.Config.Swap
	if sc == nil {
		return nil
	}
	d, err := hw.Open(hw.Options{Name: swapDevice, Image: sc.Image, SizeBytes: int64(sc.Size), BlockSize: sc.BlockSize, Kind: sc.Kind})
	if err != nil {
		return fmt.Errorf("swap: %w", err)
	}
	if _, err := s.Kernel.Attach(d, swapName, disk.IRQ); err != nil {
		d.Close()
		return err
	}
	s.SwapDisk = d
	return nil
}

// Close releases what the system holds on the host: it writes the disk
// image back and closes it, and stops the console's live keyboard. Call it
// once the run is over. After a run the watchdog stopped, it does nothing
// while the run goes on, abandoned (Wait): what the disk acknowledged is
// in its image file already, as after a power cut.
func (s *System) Close() error {
	if s.closed || s.watch.Abandoned() {
		return nil
	}
	s.closed = true
	s.Kernel.Shutdown() // a system booted but never run has tasks to stop
	if s.UART != nil {
		s.UART.Close()
	}
	err := s.Config.closeState()
	if s.SwapDisk != nil {
		err = errors.Join(err, s.SwapDisk.Close())
	}
	if s.RAID != nil {
		err = errors.Join(err, s.RAID.close())
	}
	if s.Disk == nil {
		return err
	}
	return errors.Join(err, s.Disk.Close())
}

// Run runs the system to its end and returns its summary. The error is the
// kernel panic, if one halted the system, or the watchdog's
// *kernel.Stall, if a task ran on the host for Config.Watchdog without a
// system call: then there is no summary, and the run goes on, abandoned,
// on a goroutine of its own (Wait).
func (s *System) Run() (*Summary, error) {
	err := s.watch.Run()
	if s.watch.Stall() != nil {
		return nil, err
	}
	return s.summarize(), err
}

// Wait waits for a run the watchdog stopped to end — a test lets its
// spinning body go — and returns at once otherwise.
func (s *System) Wait() error { return s.watch.Wait() }

// Pulse returns the watchdog's pulse, nil when the run has no watchdog:
// code that makes the engine wait on the host (a paused live view) marks
// the wait on it.
func (s *System) Pulse() *kernel.Pulse { return s.watch.Pulse() }

// Summary returns the summary of a run driven from outside (a
// kernel.Group running the kernel; boot/cluster).
func (s *System) Summary() *Summary { return s.summarize() }
