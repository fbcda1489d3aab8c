package mm_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/mm"
)

// ramDisk is a disk driver over a byte slice, speaking diskproto: enough
// for swap, without the simulated hardware.
type ramDisk struct {
	data          []byte
	reads, writes int
	latencyNs     int64 // in its own task, the driver sleeps this long per request
}

const ramBlock = 512

func (d *ramDisk) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	off, n := int(req.Word(0))*ramBlock, int(req.Word(1))*ramBlock
	switch req.Type {
	case diskproto.Info:
		rep := ipc.Reply(req)
		rep.SetWord(0, ramBlock)
		rep.SetWord(1, uint64(len(d.data)/ramBlock))
		return rep
	case diskproto.Read, diskproto.Write:
		if d.latencyNs > 0 {
			ctx.Sys.Sleep(d.latencyNs)
		}
		if off+n > len(d.data) {
			return ipc.ErrorReply(req, ipc.ErrInvalid)
		}
		var err error
		if req.Type == diskproto.Read {
			d.reads++
			_, err = ctx.CopyOut(0, d.data[off:off+n])
		} else {
			d.writes++
			_, err = ctx.CopyIn(0, d.data[off:off+n])
		}
		if err != nil {
			return ipc.ErrorReply(req, ipc.ErrnoOf(err))
		}
		return ipc.Reply(req)
	}
	return ipc.ErrorReply(req, ipc.ErrNoSys)
}

func TestSwapOnDisk(t *testing.T) {
	placements(t, func(t *testing.T, inKernel bool) {
		s := bootMM(t, inKernel, mm.Options{Policy: "lru", ResidentLimit: 2}, kernel.MemConfig{})
		disk := &ramDisk{data: make([]byte, 64*ipc.PageSize)}
		_, err := s.k.Place("swap", disk)
		require.NoError(t, err)
		s.spawn(t, "user", func(sys ipc.Sys) {
			c := client(t, sys)
			base, _ := c.Mmap(0, 6*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
			touchAll(t, sys, base, 6)
		})
		s.run(t)
		assert.Positive(t, disk.writes, "dirty victims went to the swap disk")
		assert.Positive(t, disk.reads, "and came back from it")
		assert.Equal(t, int64(disk.writes), s.mm.Stats().SwapOuts)
	})
}

// TestInKernelMMWaitsForTheDisk: mm in the kernel, swap on a slow disk
// driver in its own task, two tasks faulting: a fault that arrives while
// mm waits for the disk is queued and served after, and no page is mixed
// up.
func TestInKernelMMWaitsForTheDisk(t *testing.T) {
	s := bootMM(t, true, mm.Options{Policy: "clock", ResidentLimit: 3}, kernel.MemConfig{})
	disk := &ramDisk{data: make([]byte, 64*ipc.PageSize), latencyNs: 50_000}
	_, err := s.k.Declare("swap")
	require.NoError(t, err)
	s.spawn(t, "swap", func(sys ipc.Sys) { _ = ipc.Serve(sys, "swap", disk) })
	done := 0
	for _, name := range []string{"a", "b"} {
		s.spawn(t, name, func(sys ipc.Sys) {
			c := client(t, sys)
			base, _ := c.Mmap(0, 6*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
			for i := range 6 {
				assert.NoError(t, sys.Store(base+uint64(i)*ipc.PageSize, []byte(name+string(pattern(i)))))
			}
			for i := range 6 {
				want := name + string(pattern(i))
				got := make([]byte, len(want))
				assert.NoError(t, sys.Load(base+uint64(i)*ipc.PageSize, got))
				assert.Equal(t, want, string(got))
			}
			done++
		})
	}
	s.run(t)
	assert.Equal(t, 2, done)
	assert.Positive(t, disk.reads)
}

// TestRestartKeepsMappings kills mm in the middle of a run and starts a
// new instance, as the supervisor does: the pages already mapped keep
// working without a fault, the regions and the swap slots come back from
// the stash, and later faults are served by the new instance.
func TestRestartKeepsMappings(t *testing.T) {
	opt := mm.Options{Policy: "fifo", ResidentLimit: 4}
	s := bootMM(t, false, opt, kernel.MemConfig{})
	disk := &ramDisk{data: make([]byte, 64*ipc.PageSize)}
	_, err := s.k.Place("swap", disk)
	require.NoError(t, err)
	second := mm.NewWith(opt)
	var before, afterResident, afterAll ipc.MemStats
	s.spawn(t, "user", func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 8*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		for i := range 6 { // pages 0 and 1 go to swap
			assert.NoError(t, sys.Store(base+uint64(i)*ipc.PageSize, pattern(i)))
		}
		before = sys.MemStats()
		sys.Sleep(2_000_000) // mm dies and comes back
		for i := 2; i < 6; i++ {
			got := make([]byte, len(pattern(i)))
			assert.NoError(t, sys.Load(base+uint64(i)*ipc.PageSize, got))
			assert.Equal(t, string(pattern(i)), string(got))
		}
		afterResident = sys.MemStats()
		for i := range 2 {
			got := make([]byte, len(pattern(i)))
			assert.NoError(t, sys.Load(base+uint64(i)*ipc.PageSize, got))
			assert.Equal(t, string(pattern(i)), string(got), "page %d, swapped out by the old instance", i)
		}
		var zero [4]byte
		assert.NoError(t, sys.Load(base+7*ipc.PageSize, zero[:]), "a page never touched: the region survived")
		afterAll = sys.MemStats()
	})
	s.spawn(t, "reincarnation", func(sys ipc.Sys) {
		sys.Sleep(1_000_000)
		assert.NoError(t, sys.Kill(s.mmTask))
		_, err := sys.Spawn(ipc.TaskSpec{Name: "mm2", Body: func(sys ipc.Sys) { _ = ipc.Serve(sys, mmproto.Name, second) }})
		assert.NoError(t, err)
	})
	s.run(t)
	assert.Equal(t, before.MinorFaults+before.MajorFaults, afterResident.MinorFaults+afterResident.MajorFaults,
		"the resident pages needed no fault after the restart")
	assert.Equal(t, int64(2), afterAll.MajorFaults-afterResident.MajorFaults, "the swapped pages were read back")
	st := second.Stats()
	assert.GreaterOrEqual(t, st.Faults, int64(3+1), "3 after, and those before as of the last stash")
	assert.LessOrEqual(t, st.Resident, 4)
}

// TestRestartUnderBoot crashes the mm of a booted micro system: boot's
// supervisor restarts it, and the program goes on.
func TestRestartUnderBoot(t *testing.T) {
	cfg := boot.Default()
	cfg.Mode, cfg.MaxTime = boot.Micro, 0
	cfg.Servers = []boot.ServerConf{{Name: "mm"}}
	cfg.Workload = boot.WorkloadConf{}
	sys0, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	defer sys0.Close()
	var mmTask ipc.Endpoint
	for _, task := range sys0.Kernel.Tasks() {
		if task.Name() == "mm" {
			mmTask = task.Endpoint()
		}
	}
	require.NotZero(t, mmTask)
	var got []byte
	var faults int64
	sys0.Kernel.Spawn(ipc.TaskSpec{Name: "user", Body: func(sys ipc.Sys) {
		c := client(t, sys)
		base, _ := c.Mmap(0, 2*ipc.PageSize, ipc.ProtRead|ipc.ProtWrite, mmproto.MapAnonymous, 0)
		assert.NoError(t, sys.Store(base, []byte("before")))
		assert.NoError(t, sys.Kill(mmTask))
		sys.Sleep(5_000_000) // the supervisor's back-off
		got = make([]byte, 6)
		assert.NoError(t, sys.Load(base, got))
		assert.NoError(t, sys.Store(base+ipc.PageSize, []byte("after")))
		faults = sys.MemStats().MinorFaults
	}})
	sum, err := sys0.Run()
	require.NoError(t, err)
	assert.Equal(t, "before", string(got))
	assert.Equal(t, int64(2), faults)
	require.Len(t, sum.Restarts, 1)
	assert.Equal(t, "mm", sum.Restarts[0].Server)
}
