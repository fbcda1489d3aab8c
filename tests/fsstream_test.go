package tests

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// fsPlacement is one placement of the file server.
type fsPlacement struct {
	name      string
	mode      boot.Mode
	placement string
	isolation string
}

// fsPlacements are micro, hybrid (fs in the kernel), hybrid with fs in
// user space, mono, and on Linux fs in a host process.
func fsPlacements() []fsPlacement {
	ps := []fsPlacement{{"micro", boot.Micro, "", ""}, {"hybrid", boot.Hybrid, "", ""},
		{"hybrid-user", boot.Hybrid, "user", ""}, {"mono", boot.Mono, "", ""}}
	if runtime.GOOS == "linux" {
		ps = append(ps, fsPlacement{"process", boot.Hybrid, "user", boot.IsolationProcess})
	}
	return ps
}

// runFS boots the file server placed as p on an SSD and runs body in a
// task, then the system to its end.
func runFS(t testing.TB, p fsPlacement, body func(sys ipc.Sys)) {
	t.Helper()
	cfg := fsConfig(p.mode, p.placement)
	cfg.Workload, cfg.Isolation = boot.WorkloadConf{}, p.isolation
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	require.NoError(t, sys.FormatDisk())
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "client", Body: body})
	require.NoError(t, err)
	_, err = sys.Run()
	require.NoError(t, sys.Close())
	require.NoError(t, err)
}

// A large directory read as a stream from fs, in every placement: the
// same entries, in the same order, as ReadDir's windows; a reader that
// stops early cancels, and the next stream works; a missing directory
// fails the request.
func TestReadDirStreamInEveryPlacement(t *testing.T) {
	const files = 700 // several ReadDir windows, many times the credit
	for _, p := range fsPlacements() {
		t.Run(p.name, func(t *testing.T) {
			var windows, streamed []fsproto.DirEntry
			var early int
			var missing error
			var again []fsproto.DirEntry
			runFS(t, p, func(sys ipc.Sys) {
				c, err := fsproto.Dial(sys)
				require.NoError(t, err)
				require.NoError(t, c.Mkdir("/big", 0o755))
				for i := range files {
					fd, err := c.Create(fmt.Sprintf("/big/file-with-a-longish-name-%04d", i), 0o644)
					require.NoError(t, err)
					require.NoError(t, c.Close(fd))
				}
				windows, err = c.ReadDir("/big")
				require.NoError(t, err)
				require.NoError(t, c.ReadDirStreamed("/big", func(e fsproto.DirEntry) bool {
					streamed = append(streamed, e)
					return true
				}))
				require.NoError(t, c.ReadDirStreamed("/big", func(fsproto.DirEntry) bool {
					early++
					return early < 10
				}))
				missing = c.ReadDirStreamed("/nope", func(fsproto.DirEntry) bool { return true })
				require.NoError(t, c.ReadDirStreamed("/", func(e fsproto.DirEntry) bool {
					again = append(again, e)
					return true
				}))
			})
			assert.Len(t, windows, files+2)
			assert.Equal(t, windows, streamed, "the streamed entries")
			assert.Equal(t, 10, early, "entries taken before the cancel")
			assert.ErrorIs(t, missing, linux.ENOENT)
			names := make([]string, len(again))
			for i, e := range again {
				names[i] = e.Name
			}
			assert.Contains(t, names, "big", "the root, read after a cancelled stream")
		})
	}
}

// tail -f's stream, in every placement: a follower is told each new size
// as another task appends, the size it has not seen at once, and a
// truncation; closing the descriptor ends the stream with EBADF.
func TestFollowInEveryPlacement(t *testing.T) {
	for _, p := range fsPlacements() {
		t.Run(p.name, func(t *testing.T) {
			var sizes []int64
			var closed error
			runFS(t, p, func(sys ipc.Sys) {
				c, err := fsproto.Dial(sys)
				require.NoError(t, err)
				fd, err := c.Create("/log", 0o666)
				require.NoError(t, err)
				_, err = c.Write(fd, []byte("first\n"))
				require.NoError(t, err)
				f, err := c.Follow(fd, 0)
				require.NoError(t, err)
				_, err = sys.Spawn(ipc.TaskSpec{Name: "writer", Body: func(sys ipc.Sys) {
					c, _ := fsproto.Dial(sys)
					w, err := c.Open("/log", linux.O_WRONLY|linux.O_APPEND, 0)
					assert.NoError(t, err)
					for _, s := range []string{"two\n", "three\n"} {
						_ = sys.Sleep(1_000_000)
						_, err := c.Write(w, []byte(s))
						assert.NoError(t, err)
					}
					_ = sys.Sleep(1_000_000)
					assert.NoError(t, c.Ftruncate(w, 2))
					_ = sys.Sleep(1_000_000)
					_ = c.Close(w)
				}})
				require.NoError(t, err)
				for range 4 {
					n, err := f.Next()
					require.NoError(t, err)
					sizes = append(sizes, n)
				}
				require.NoError(t, c.Close(fd))
				_, err = c.Write(fd, nil) // any request: fs looks at its followers
				assert.ErrorIs(t, err, linux.EBADF)
				_, closed = f.Next()
			})
			assert.Equal(t, []int64{6, 10, 16, 2}, sizes)
			assert.ErrorIs(t, closed, linux.EBADF, "the stream after its descriptor closed")
		})
	}
}

// BenchmarkReadDirStream compares, in virtual time, a directory of 900
// entries read in ReadDir's 8 KiB windows and as one stream of 48-byte
// frames, in each placement: go test ./tests -run '^$' -bench
// ReadDirStream -benchtime 1x.
func BenchmarkReadDirStream(b *testing.B) {
	const files = 900
	for _, p := range fsPlacements() {
		b.Run(p.name, func(b *testing.B) {
			var windows, stream int64
			for range b.N {
				runFS(b, p, func(sys ipc.Sys) {
					c, _ := fsproto.Dial(sys)
					_ = c.Mkdir("/big", 0o755)
					for i := range files {
						fd, _ := c.Create(fmt.Sprintf("/big/f%04d", i), 0o644)
						_ = c.Close(fd)
					}
					t0 := sys.Now()
					_, _ = c.ReadDir("/big")
					t1 := sys.Now()
					_ = c.ReadDirStreamed("/big", func(fsproto.DirEntry) bool { return true })
					windows, stream = t1-t0, sys.Now()-t1
				})
			}
			b.ReportMetric(float64(windows), "vns-windows")
			b.ReportMetric(float64(stream), "vns-stream")
		})
	}
}
