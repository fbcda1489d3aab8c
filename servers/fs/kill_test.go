package fs_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/servers/fs/bdev"
)

// Killing the file server task at every disk write of a workload, in a
// running system: the supervisor restarts it, it remounts and recovers.
// Every file is then as the last fsync or sync the workload saw
// acknowledged left it — or as an operation after it left it, since a
// commit can make it durable before its caller learns so (a write may be
// there in part) — and fsck finds the disk clean.
func TestKillServerAtEveryWrite(t *testing.T) {
	fresh := newDev(t, 4<<20)
	total := killRun(t, fresh.Clone(), 0).writes
	require.Greater(t, total, 10)
	for k := 1; k <= total; k++ {
		dev := fresh.Clone()
		r := killRun(t, dev, k)
		require.True(t, r.killed, "write %d", k)
		for path := range r.want.acked {
			got := r.after[path]
			assert.True(t, r.want.allows(path, got), "kill at write %d: %s is %v, acknowledged %v, later %v",
				k, path, got, r.want.acked[path], r.want.later[path])
		}
		clean(t, dev)
	}
	t.Logf("killed the file server at each of %d disk writes", total)
}

// fileState is a path's state: absent, or a file with contents.
type fileState struct {
	exists bool
	data   []byte
}

func (s fileState) String() string {
	if !s.exists {
		return "absent"
	}
	return fmt.Sprintf("%d bytes", len(s.data))
}

// expectation is what a path may hold after a crash.
type expectation struct {
	cur   map[string]fileState   // the workload's view now
	acked map[string]fileState   // at the last acknowledged fsync or sync
	later map[string][]fileState // set since then, maybe durable
}

func newExpectation(paths ...string) *expectation {
	e := &expectation{cur: map[string]fileState{}, acked: map[string]fileState{}, later: map[string][]fileState{}}
	for _, p := range paths {
		e.cur[p], e.acked[p] = fileState{}, fileState{}
	}
	return e
}

// set records that an operation is about to make path s.
func (e *expectation) set(path string, s fileState) {
	e.cur[path] = s
	e.later[path] = append(e.later[path], s)
}

// ack records that everything so far is durable.
func (e *expectation) ack() {
	for p, s := range e.cur {
		e.acked[p] = s
	}
	clear(e.later)
}

// allows reports whether path may be got after a crash.
func (e *expectation) allows(path string, got fileState) bool {
	ok := func(s fileState) bool {
		if s.exists != got.exists {
			return false
		}
		return bytes.Equal(s.data, got.data) || (s.exists && bytes.HasPrefix(s.data, got.data))
	}
	if ok(e.acked[path]) && bytes.Equal(e.acked[path].data, got.data) {
		return true
	}
	for _, s := range e.later[path] {
		if ok(s) {
			return true
		}
	}
	return false
}

// killResult is what one run saw.
type killResult struct {
	writes int  // disk write requests
	killed bool // the server was killed
	want   *expectation
	after  map[string]fileState // what the restarted server shows
}

// killRun runs the workload, killing the server at disk write k (0: never).
func killRun(t *testing.T, dev *bdev.Mem, k int) *killResult {
	r := &killResult{want: newExpectation("/a", "/b", "/d/a", "/d/c"), after: map[string]fileState{}}
	var b *booted
	hook := func(ctx *ipc.Ctx, _ int64, _ int) error {
		if r.writes++; r.writes == k {
			r.killed = true
			ctx.Sys.Kill(b.fsEp)
		}
		return nil
	}
	b = boot(t, sysConf{placement: "micro", dev: dev, hook: hook, restart: true}, func(sys ipc.Sys) {
		c := client(sys)
		killWorkload(c, r.want)
		sys.Sleep(10_000_000) // the restart
		for path := range r.want.acked {
			if data, err := c.ReadFile(path); err == nil {
				r.after[path] = fileState{exists: true, data: data}
			}
		}
	})
	b.run(t)
	return r
}

// killWorkload runs until an operation fails (the server died under it).
func killWorkload(c fsproto.Client, e *expectation) {
	a := bytes.Repeat([]byte("A"), 8000)
	big := bytes.Repeat([]byte("b"), 70000)
	steps := []func() error{
		func() error { return writeSync(c, "/a", a, e) },
		func() error { return c.Mkdir("/d", 0o755) },
		func() error { return writeSync(c, "/b", big, e) },
		func() error {
			e.set("/d/a", e.cur["/a"])
			e.set("/a", fileState{})
			return c.Rename("/a", "/d/a")
		},
		func() error { return sync(c, e) },
		func() error { e.set("/b", fileState{}); return c.Unlink("/b") },
		func() error { return writeSync(c, "/d/c", []byte("last"), e) },
	}
	for _, step := range steps {
		if step() != nil {
			return
		}
	}
}

func sync(c fsproto.Client, e *expectation) error {
	err := c.Sync()
	if err == nil {
		e.ack()
	}
	return err
}

// writeSync creates path with data and fsyncs it.
func writeSync(c fsproto.Client, path string, data []byte, e *expectation) error {
	e.set(path, fileState{exists: true})
	e.set(path, fileState{exists: true, data: data})
	fd, err := c.Create(path, 0o644)
	if err != nil {
		return err
	}
	defer c.Close(fd)
	if _, err := c.Write(fd, data); err != nil {
		return err
	}
	if err := c.Fsync(fd); err != nil {
		return err
	}
	e.ack()
	return nil
}
