package boot

import (
	"fmt"

	"github.com/mkos/mkos/drivers/disk"
	"github.com/mkos/mkos/drivers/disk/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/sched"
	"github.com/mkos/mkos/user/workload"
)

// System is a booted system: the kernel, the servers placed in it or
// spawned as tasks, the supervisor and the workload.
type System struct {
	Config   Config
	Kernel   *kernel.Kernel
	Tally    workload.Tally
	Restarts []Restart
	// Disk is the simulated disk, nil without a disk: section. Close
	// writes its image back.
	Disk   *hw.Disk
	sup    *supervisor
	closed bool
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
		ServiceWaitNs: int64(cfg.ServiceWait), MaxTimeNs: int64(cfg.MaxTime), Trace: tracer,
	})
	if err != nil {
		return nil, err
	}
	s := &System{Config: cfg, Kernel: k}
	s.sup = &supervisor{sys: s, servers: map[ipc.Endpoint]string{}, restarts: map[string]int{}}
	if err := s.attachDisk(); err != nil {
		return nil, err
	}
	if err := s.placeServers(); err != nil {
		s.Close()
		return nil, err
	}
	s.startWorkload()
	return s, nil
}

// placeServers puts each server in the kernel or spawns its instances, and
// starts the supervisor when any server lives in user space.
func (s *System) placeServers() error {
	user := false
	for _, sc := range s.Config.servers() {
		if s.Config.InKernel(sc) {
			if _, err := s.Kernel.Place(sc.Name, Servers[sc.Name](&s.Config)); err != nil {
				return fmt.Errorf("place %s in the kernel: %w", sc.Name, err)
			}
			continue
		}
		user = true
		if _, err := s.Kernel.Declare(sc.Name); err != nil {
			return err
		}
		for i := 0; i < max(sc.Instances, 1); i++ {
			ep, err := s.Kernel.Spawn(s.instanceSpec(sc.Name))
			if err != nil {
				return err
			}
			s.sup.servers[ep] = sc.Name
		}
	}
	for _, l := range s.Config.Links {
		if err := s.Kernel.Link(l.From, l.To); err != nil {
			return err
		}
	}
	if user {
		if _, err := s.Kernel.Spawn(ipc.TaskSpec{Name: "supervisor", Body: s.sup.body}); err != nil {
			return err
		}
	}
	return nil
}

// instanceSpec is the task that runs one instance of the named server.
func (s *System) instanceSpec(name string) ipc.TaskSpec {
	return ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
		_ = ipc.Serve(sys, name, Servers[name](&s.Config))
	}}
}

// attachDisk opens the configured disk and attaches it to the disk
// service: its interrupts reach the driver wherever it is placed, and
// whichever instance is alive.
func (s *System) attachDisk() error {
	dc := s.Config.Disk
	if dc == nil {
		return nil
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
	return nil
}

// Close releases what the system holds on the host: it writes the disk
// image back and closes it. Call it once the run is over.
func (s *System) Close() error {
	if s.Disk == nil || s.closed {
		return nil
	}
	s.closed = true
	return s.Disk.Close()
}

// startWorkload spawns the demo clients.
func (s *System) startWorkload() {
	w := s.Config.Workload
	d := workload.Demo{Calls: w.Calls, ComputeNs: int64(w.Compute), CrashAt: w.CrashAt, BulkEvery: w.BulkEvery}
	for i := 0; i < w.Clients; i++ {
		s.Kernel.Spawn(ipc.TaskSpec{Name: fmt.Sprintf("client%d", i), Body: d.Client(i, &s.Tally)})
	}
}

// Run runs the system to its end and returns its summary. The error is the
// kernel panic, if one halted the system.
func (s *System) Run() (*Summary, error) {
	err := s.Kernel.Run()
	return s.summarize(), err
}
