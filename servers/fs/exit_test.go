package fs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/fs"
)

// forever is a sleep that outlasts every test.
const forever = int64(1) << 50

// killEach spawns victim n times, waits until it says it is ready, and
// kills it; it gives the file server a moment to hear of each death.
func killEach(sys ipc.Sys, n int, victim func(sys ipc.Sys, ready *bool)) {
	for range n {
		ready := false
		ep, err := sys.Spawn(ipc.TaskSpec{Name: "victim", Body: func(sys ipc.Sys) { victim(sys, &ready) }})
		if err != nil {
			panic(err)
		}
		for !ready {
			sys.Sleep(1000)
		}
		if err := sys.Kill(ep); err != nil {
			panic(err)
		}
		sys.Sleep(1000)
	}
}

// Processes killed while holding descriptors, more of them than the file
// server holds in all: their descriptors are released, and an open still
// succeeds. (Before the server heard of deaths, every open failed with
// ENFILE once maxOpen descriptors had leaked.)
func TestKilledProcessesReleaseTheirDescriptors(t *testing.T) {
	const maxOpen, perVictim = 8, 2
	for _, pl := range placements {
		t.Run(pl, func(t *testing.T) {
			var victimErr, last error
			b := boot(t, sysConf{placement: pl, dev: newDev(t, 1<<20), opts: fs.Options{MaxOpen: maxOpen}}, func(sys ipc.Sys) {
				killEach(sys, 3*maxOpen/perVictim, func(sys ipc.Sys, ready *bool) {
					c := client(sys)
					for range perVictim {
						if _, err := c.Open("/", linux.O_RDONLY, 0); err != nil && victimErr == nil {
							victimErr = err
						}
					}
					*ready = true
					sys.Sleep(forever)
				})
				_, last = client(sys).Open("/", linux.O_RDONLY, 0)
			})
			b.run(t)
			assert.NoError(t, victimErr, "a victim's Open()")
			assert.NoError(t, last, "Open() after %d killed processes", 3*maxOpen/perVictim)
			if pl != "micro" {
				assert.Equal(t, 0, b.fs.FS().Descriptors(), "Descriptors() once every client has died")
			}
		})
	}
}

// A file unlinked while its holder has it open, then the holder killed:
// its blocks and inode come back, and the disk is clean.
func TestKilledHolderFreesUnlinkedFile(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl, func(t *testing.T) {
			dev := newDev(t, 1<<20)
			var before, after fsproto.Fsinfo
			var during int64
			var errs []error
			b := boot(t, sysConf{placement: pl, dev: dev}, func(sys ipc.Sys) {
				c := client(sys)
				var err error
				before, err = c.Statfs()
				errs = append(errs, err)
				killEach(sys, 1, func(sys ipc.Sys, ready *bool) {
					c := client(sys)
					fd, err := c.Open("/scratch", linux.O_CREAT|linux.O_RDWR, 0o644)
					errs = append(errs, err)
					_, err = c.Write(fd, make([]byte, 64<<10))
					errs = append(errs, err, c.Unlink("/scratch"))
					st, err := c.Statfs()
					errs = append(errs, err)
					during = st.FreeBlocks
					*ready = true
					sys.Sleep(forever)
				})
				after, err = c.Statfs()
				errs = append(errs, err, c.Sync())
			})
			b.run(t)
			for _, err := range errs {
				require.NoError(t, err)
			}
			assert.Less(t, during, before.FreeBlocks, "free blocks while the unlinked file is open")
			assert.Equal(t, before.FreeBlocks, after.FreeBlocks, "free blocks after its holder was killed")
			assert.Equal(t, before.FreeInodes, after.FreeInodes, "free inodes after its holder was killed")
			clean(t, dev)
		})
	}
}

// Deaths faster than the server reads its notices: 300 processes killed
// in one burst overflow the kernel's queue of notices, and the server,
// told that notices were lost, asks the kernel about every process that
// holds descriptors and releases the dead ones'.
func TestBurstOfDeathsIsSweptUp(t *testing.T) {
	const victims = 300
	for _, pl := range placements {
		t.Run(pl, func(t *testing.T) {
			var eps []ipc.Endpoint
			ready := 0
			var openErr, last error
			opts := fs.Options{MaxOpen: victims}
			b := boot(t, sysConf{placement: pl, dev: newDev(t, 1<<20), opts: opts}, func(sys ipc.Sys) {
				for range victims {
					ep, err := sys.Spawn(ipc.TaskSpec{Name: "victim", Body: func(sys ipc.Sys) {
						if _, err := client(sys).Open("/", linux.O_RDONLY, 0); err != nil {
							openErr = err
						}
						ready++
						sys.Sleep(forever)
					}})
					if err != nil {
						panic(err)
					}
					eps = append(eps, ep)
				}
				for ready < victims {
					sys.Sleep(1000)
				}
				for _, ep := range eps { // no trap in between lets the server run
					if err := sys.Kill(ep); err != nil {
						panic(err)
					}
				}
				sys.Sleep(1000)
				for range 3 { // victims/3 each: a process holds at most MaxOpenPerProc
					_, err := sys.Spawn(ipc.TaskSpec{Name: "opener", Body: func(sys ipc.Sys) {
						c := client(sys)
						for range victims / 3 {
							if _, err := c.Open("/", linux.O_RDONLY, 0); err != nil && last == nil {
								last = err
							}
						}
						sys.Sleep(forever)
					}})
					if err != nil {
						panic(err)
					}
				}
			})
			b.run(t)
			require.NoError(t, openErr, "a victim's Open()")
			assert.NoError(t, last, "Open() of %d files after the burst (by three openers)", victims)
		})
	}
}
