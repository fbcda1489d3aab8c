package fs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// A follower killed while fs follows its file for it: fs lets its stream
// go (the client's descriptors are released, and the stream with them),
// and another process's follow still works.
func TestKilledFollowerLetsGo(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl, func(t *testing.T) {
			var during, after int
			var size int64
			var err error
			var b *booted
			b = boot(t, sysConf{placement: pl, dev: newDev(t, 1<<20)}, func(sys ipc.Sys) {
				c := client(sys)
				fd, _ := c.Create("/log", 0o666)
				killEach(sys, 1, func(sys ipc.Sys, ready *bool) {
					c := client(sys)
					fd, err := c.Open("/log", linux.O_RDONLY, 0)
					assert.NoError(t, err)
					_, err = c.Follow(fd, 0)
					assert.NoError(t, err)
					*ready = true
					if b.fs != nil {
						during = b.fs.Streams()
					}
					sys.Sleep(forever)
				})
				if b.fs != nil {
					after = b.fs.Streams()
				}
				r, _ := c.Open("/log", linux.O_RDONLY, 0)
				f, e := c.Follow(r, 0)
				if e == nil {
					_, _ = c.Write(fd, []byte("hello"))
					size, err = f.Next()
				} else {
					err = e
				}
			})
			b.run(t)
			assert.NoError(t, err, "Follow().Next() after the killed follower")
			assert.Equal(t, int64(5), size, "the size the second follower is told")
			if pl != "micro" {
				assert.Equal(t, 1, during, "Streams() while the victim follows")
				assert.Equal(t, 0, after, "Streams() after its death")
			}
		})
	}
}
