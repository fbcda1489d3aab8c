package pm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

func TestEveryRequestHasAHandler(t *testing.T) {
	for ty := pmproto.Spawn; ty <= pmproto.LastRequest; ty++ {
		assert.NotNil(t, ops[ty].serve, "request %s (%d) has no handler", pmproto.RequestNames[ty], ty)
	}
	assert.Nil(t, ops[0].serve, "type 0 is no request")
}

func TestUnknownRequest(t *testing.T) {
	s := New(Options{})
	req := ipc.Message{Type: pmproto.LastRequest + 1}
	rep := s.Handle(&ipc.Ctx{Caller: ipc.TaskEndpoint(1, 1)}, &req)
	assert.Equal(t, uint16(linux.ENOSYS), rep.Errno)
}

func TestPidAllocation(t *testing.T) {
	for _, c := range []struct {
		name  string
		next  int
		taken []int
		want  []int
	}{
		{"counts up from 1", 1, nil, []int{1, 2, 3}},
		{"skips pids in use", 1, []int{2, 3}, []int{1, 4, 5}},
		{"wraps to 2 after MaxPid", pmproto.MaxPid, []int{1}, []int{pmproto.MaxPid, 2, 3}},
		{"wraps past pids in use", pmproto.MaxPid - 1, []int{pmproto.MaxPid, 2}, []int{pmproto.MaxPid - 1, 3, 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := newTable(100)
			tb.next = c.next
			for _, pid := range c.taken {
				tb.add(&proc{Pid: pid})
			}
			var got []int
			for range c.want {
				pid := tb.alloc()
				tb.add(&proc{Pid: pid})
				got = append(got, pid)
			}
			assert.Equal(t, c.want, got)
			assert.IsIncreasing(t, tb.pids, "pids stay sorted")
		})
	}
}

func TestTableBindAndRemove(t *testing.T) {
	tb := newTable(2)
	p := &proc{Pid: 7}
	tb.add(p)
	assert.Nil(t, tb.byTask(ipc.TaskEndpoint(3, 1)))
	tb.bind(p, ipc.TaskEndpoint(3, 1))
	assert.Same(t, p, tb.byTask(ipc.TaskEndpoint(3, 1)))
	assert.Equal(t, alive, p.State)
	tb.add(&proc{Pid: 8})
	assert.True(t, tb.full())
	tb.remove(p)
	assert.Nil(t, tb.byTask(ipc.TaskEndpoint(3, 1)))
	assert.Equal(t, []int{8}, tb.pids)
}

func TestMemStore(t *testing.T) {
	var st Store = NewMemStore()
	_, err := st.Get(nil, "pm/x")
	require.ErrorIs(t, err, linux.ENOENT)
	require.NoError(t, st.Put(nil, "pm/proc/2", []byte("b")))
	require.NoError(t, st.Put(nil, "pm/proc/1", []byte("a")))
	require.NoError(t, st.Put(nil, "pm/next", []byte("3")))
	keys, err := st.List(nil, "pm/proc/")
	require.NoError(t, err)
	assert.Equal(t, []string{"pm/proc/1", "pm/proc/2"}, keys)
	v, err := st.Get(nil, "pm/proc/1")
	require.NoError(t, err)
	assert.Equal(t, []byte("a"), v)
	require.NoError(t, st.Delete(nil, "pm/proc/1"))
	require.NoError(t, st.Delete(nil, "pm/proc/1"), "deleting a missing key")
	keys, _ = st.List(nil, "pm/")
	assert.Equal(t, []string{"pm/next", "pm/proc/2"}, keys)
}

// A record the Store gives back is the process that went in.
func TestTableSurvivesTheStore(t *testing.T) {
	st := NewMemStore()
	a := New(Options{Store: st})
	a.loaded = true
	p := &proc{Pid: 5, Ppid: 1, Pgid: 5, Task: ipc.TaskEndpoint(4, 2), State: zombie, Status: pmproto.Exited(3),
		Name: "x", Path: "/bin/x", StartNs: 9, Caught: 2, Ignored: 4, Token: 77, Fds: []int{0, 1}}
	a.t.add(p)
	a.t.next = 6
	a.touch(p)
	a.flush(nil)
	b := New(Options{Store: st})
	b.load(nil)
	assert.Equal(t, p, b.t.get(5))
	assert.Same(t, b.t.get(5), b.t.byTask(ipc.TaskEndpoint(4, 2)))
	assert.Equal(t, 6, b.t.next)
	a.t.remove(p)
	a.touch(p)
	a.flush(nil)
	keys, _ := st.List(nil, procPrefix)
	assert.Empty(t, keys, "a reaped process leaves the store")
}
