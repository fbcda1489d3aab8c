package fs_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Several clients use the file server at once. In hybrid placement the
// server runs in the kernel and the driver in user space, so a client's
// trap into the server blocks on the disk and the next client enters
// the server meanwhile: its request waits in the server's queue and is
// served in the first client's trap. Every client sees its own files
// intact, whatever the placement.
func TestConcurrentClients(t *testing.T) {
	const clients, files = 3, 8
	for _, p := range placements {
		t.Run(p, func(t *testing.T) {
			dev := newDev(t, 16<<20)
			var bodies []func(ipc.Sys)
			bad := make([]string, clients)
			for i := 0; i < clients; i++ {
				bodies = append(bodies, func(sys ipc.Sys) {
					c := client(sys)
					dir := fmt.Sprintf("/c%d", i)
					if err := c.Mkdir(dir, 0o755); err != nil {
						bad[i] = err.Error()
						return
					}
					for k := 0; k < files; k++ {
						name := fmt.Sprintf("%s/f%d", dir, k)
						want := bytes.Repeat([]byte{byte('a' + i)}, 5000+k*1000)
						fd, err := c.Create(name, 0o644)
						if err == nil {
							_, err = c.Write(fd, want)
						}
						if err == nil {
							err = c.Fsync(fd)
						}
						c.Close(fd)
						got := make([]byte, len(want)+10)
						fd, err2 := c.Open(name, linux.O_RDONLY, 0)
						n, err3 := c.Read(fd, got)
						c.Close(fd)
						if err != nil || err2 != nil || err3 != nil || !bytes.Equal(got[:n], want) {
							bad[i] = fmt.Sprintf("%s: %v %v %v, %d bytes", name, err, err2, err3, n)
							return
						}
					}
				})
			}
			b := boot(t, sysConf{placement: p, dev: dev, latencyNs: 50_000}, bodies...)
			b.run(t)
			for i := range bad {
				assert.Empty(t, bad[i], "client %d", i)
			}
			if p == "hybrid" {
				assert.Positive(t, b.fs.Queued(), "some request waited for another")
			}
			clean(t, dev)
		})
	}
}
