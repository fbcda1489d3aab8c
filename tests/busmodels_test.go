package tests

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// busPlacement is one placement of echo for the bus's models.
type busPlacement struct {
	name      string
	mode      boot.Mode
	isolation string
}

// busPlacements are micro, hybrid and mono, and on Linux echo in a host
// process (hybrid, process isolation).
func busPlacements() []busPlacement {
	ps := []busPlacement{{"micro", boot.Micro, ""}, {"hybrid", boot.Hybrid, ""}, {"mono", boot.Mono, ""}}
	if runtime.GOOS == "linux" {
		ps = append(ps, busPlacement{"process", boot.Hybrid, boot.IsolationProcess})
	}
	return ps
}

// runClient boots p with echo and null and runs body in a task with the
// kernel's privileges, then the system to its end.
func runClient(t *testing.T, p busPlacement, body func(sys ipc.Sys)) {
	t.Helper()
	cfg := boot.Default()
	cfg.Mode, cfg.Workload, cfg.Isolation = p.mode, boot.WorkloadConf{}, p.isolation
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "client", Body: body})
	require.NoError(t, err)
	_, err = sys.Run()
	require.NoError(t, sys.Close())
	require.NoError(t, err)
}

// A stream from echo in every placement: the server emits no more than
// the credit granted, frames come in order, then the end frame; a cancel
// leaves the server free to serve the next stream.
func TestStreamInEveryPlacement(t *testing.T) {
	for _, p := range busPlacements() {
		t.Run(p.name, func(t *testing.T) {
			var got []uint64
			var early, afterCancel error
			var endErr error = linux.EIO
			var second uint64
			runClient(t, p, func(sys ipc.Sys) {
				dst, err := ipc.Dial(sys, echoproto.Name)
				require.NoError(t, err)
				s, err := echoproto.OpenStream(sys, dst, 5, 2)
				require.NoError(t, err)
				var m ipc.Message
				for range 2 {
					_, err := s.Recv(&m)
					require.NoError(t, err)
					got = append(got, m.Word(0))
				}
				_ = sys.Sleep(1_000_000)
				early = sys.Bus(&ipc.BusRequest{Op: ipc.StreamRecv, Stream: s.ID}) // no credit: no frame
				require.NoError(t, s.Grant(3))
				for {
					end, err := s.Recv(&m)
					if end {
						endErr = err
						break
					}
					require.NoError(t, err)
					got = append(got, m.Word(0))
				}
				c, err := echoproto.OpenStream(sys, dst, 100, 1)
				require.NoError(t, err)
				_, err = c.Recv(&m)
				require.NoError(t, err)
				require.NoError(t, c.Cancel())
				afterCancel = c.Grant(1)
				d, err := echoproto.OpenStream(sys, dst, 1, 1)
				require.NoError(t, err)
				_, err = d.Recv(&m)
				require.NoError(t, err)
				second = m.Word(0)
			})
			assert.Equal(t, []uint64{1, 2, 3, 4, 5}, got)
			assert.ErrorIs(t, early, linux.EAGAIN, "a Recv past the credit")
			assert.NoError(t, endErr, "the end frame")
			assert.Error(t, afterCancel, "a grant on a cancelled stream")
			assert.Equal(t, uint64(1), second, "the next stream's first frame")
		})
	}
}

// The kernel publishes every death on kernel/exit, in every placement:
// subscribers get each, a small queue drops the oldest and says how many.
func TestExitTopicInEveryPlacement(t *testing.T) {
	for _, p := range busPlacements() {
		t.Run(p.name, func(t *testing.T) {
			var children []ipc.Endpoint
			var codes []uint64
			var dropped int64
			runClient(t, p, func(sys ipc.Sys) {
				require.NoError(t, ipc.Subscribe(sys, ipc.TopicExit, 2))
				for i := 1; i <= 4; i++ {
					ep, err := sys.Spawn(ipc.TaskSpec{Name: "child", Body: func(sys ipc.Sys) { sys.Exit(i) }})
					require.NoError(t, err)
					children = append(children, ep)
				}
				_ = sys.Sleep(1_000_000)
				for {
					var m ipc.Message
					_, d, err := ipc.NextPublished(sys, ipc.TopicExit, false, &m)
					if err != nil {
						assert.ErrorIs(t, err, linux.EAGAIN)
						break
					}
					assert.Equal(t, ipc.KernelEndpoint, m.Source, "the kernel publishes")
					assert.Equal(t, ipc.ExitEvent, m.Type)
					codes = append(codes, m.Word(1))
					dropped += d
				}
			})
			require.Len(t, children, 4)
			assert.Equal(t, []uint64{3, 4}, codes, "the two newest deaths")
			assert.Equal(t, int64(2), dropped, "the two oldest dropped")
		})
	}
}

// rs publishes each managed service's state changes on rs/state: a
// restart asked for, a scale.
func TestRSStateTopic(t *testing.T) {
	for _, p := range busPlacements() {
		if p.mode == boot.Mono {
			continue // rs manages no server there: every one is in the kernel
		}
		t.Run(p.name, func(t *testing.T) {
			var events []string
			runClient(t, p, func(sys ipc.Sys) {
				require.NoError(t, ipc.Subscribe(sys, rsproto.TopicState, 0))
				c, err := rsproto.Dial(sys)
				require.NoError(t, err)
				_, _, err = c.Restart(echoproto.Name)
				require.NoError(t, err)
				_, _, err = c.Scale(echoproto.Name, 2)
				require.NoError(t, err)
				for {
					var m ipc.Message
					_, _, err := ipc.NextPublished(sys, "", false, &m)
					if err != nil {
						break
					}
					name, st, live, err := rsproto.ParseStateMessage(&m)
					require.NoError(t, err)
					events = append(events, fmt.Sprintf("%s %s %d", name, st, live))
				}
			})
			assert.Equal(t, []string{"echo up 1", "echo up 2"}, events)
		})
	}
}

// rs streams its restart log: a follower gets the entries as they happen
// (tail -f), and a plain reader the whole log and the end frame.
func TestRSLogStream(t *testing.T) {
	for _, p := range busPlacements() {
		if p.mode == boot.Mono {
			continue // nothing restarts there: every server is in the kernel
		}
		t.Run(p.name, func(t *testing.T) {
			var followed, read []string
			runClient(t, p, func(sys ipc.Sys) {
				c, err := rsproto.Dial(sys)
				require.NoError(t, err)
				_, err = sys.Spawn(ipc.TaskSpec{Name: "restarter", Body: func(sys ipc.Sys) {
					c, _ := rsproto.Dial(sys)
					for range 3 {
						_ = sys.Sleep(1_000_000)
						_, _, err := c.Restart(echoproto.Name)
						assert.NoError(t, err)
					}
				}})
				require.NoError(t, err)
				require.NoError(t, c.FollowLog(true, func(e rsproto.LogEntry) bool {
					followed = append(followed, fmt.Sprintf("%s %v→%v", e.Service, e.Old, e.New))
					return len(followed) < 3
				}))
				require.NoError(t, c.FollowLog(false, func(e rsproto.LogEntry) bool {
					read = append(read, fmt.Sprintf("%s %v→%v", e.Service, e.Old, e.New))
					return true
				}))
			})
			require.Len(t, followed, 3)
			assert.Equal(t, followed, read, "the log read afterwards")
			assert.Contains(t, followed[0], "echo ")
		})
	}
}

// After a live update the bus's metrics list the new instance only, and
// the service's counts go on across it.
func TestMetricsFollowALiveUpdate(t *testing.T) {
	for _, p := range busPlacements() {
		if p.mode == boot.Mono {
			continue // nothing to update: echo is in the kernel
		}
		t.Run(p.name, func(t *testing.T) {
			var res rsproto.UpdateResult
			var before, after []rsproto.ServiceStats
			runClient(t, p, func(sys ipc.Sys) {
				dst, err := ipc.Dial(sys, echoproto.Name)
				require.NoError(t, err)
				buf := make([]byte, 8)
				for range 3 {
					_, err := echoproto.Call(sys, dst, []byte("x"), buf)
					require.NoError(t, err)
				}
				c, err := rsproto.Dial(sys)
				require.NoError(t, err)
				before, err = c.Stats()
				require.NoError(t, err)
				res, err = c.Update(echoproto.Name, "")
				require.NoError(t, err)
				_, err = echoproto.Call(sys, dst, []byte("y"), buf)
				require.NoError(t, err)
				after, err = c.Stats()
				require.NoError(t, err)
			})
			echoOf := func(sts []rsproto.ServiceStats) rsproto.ServiceStats {
				for _, st := range sts {
					if st.Name == echoproto.Name {
						return st
					}
				}
				return rsproto.ServiceStats{}
			}
			b, a := echoOf(before), echoOf(after)
			require.Len(t, a.Instances, 1, "instances after the update: %v", a.Instances)
			assert.Equal(t, res.New, a.Instances[0].Task, "the instance listed is the new one")
			assert.NotEqual(t, b.Instances[0].Task, a.Instances[0].Task)
			assert.GreaterOrEqual(t, a.Requests, b.Requests+1, "the service's requests go on across the update")
		})
	}
}
