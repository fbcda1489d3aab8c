package kernel_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// pingPong is two kernels in a group passing a ball: each side receives a
// note in its mailbox (posted by the other side), logs it with its virtual
// time, computes a while and sends the next one. A third kernel, with
// nothing to do with the ball, ticks on its own.
type pingPong struct {
	g       *kernel.Group
	mailbox [3][]string
	sentAt  map[string]int64
	log     []string
	late    []string // notes that arrived before sent + lookahead
}

func (p *pingPong) deliver(to int, note string) func(now int64) {
	return func(now int64) {
		p.mailbox[to] = append(p.mailbox[to], note)
		if err := p.g.Kernel(to).NotifyService("port", 1, now); err != nil {
			panic(err)
		}
	}
}

func (p *pingPong) send(sys ipc.Sys, from, to int, note string) {
	p.sentAt[note] = sys.Now()
	p.g.Post(to, sys.Now(), p.deliver(to, note))
}

func (p *pingPong) side(i, rounds int) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		if _, err := sys.Register("port"); err != nil {
			panic(err)
		}
		if i == 0 {
			p.send(sys, 0, 1, "ball 0")
		}
		for n := 0; n < rounds; {
			var m ipc.Message
			if err := sys.Receive(ipc.Any, &m); err != nil {
				return
			}
			for len(p.mailbox[i]) > 0 {
				note := p.mailbox[i][0]
				p.mailbox[i] = p.mailbox[i][1:]
				now := sys.Now()
				p.log = append(p.log, fmt.Sprintf("%d k%d %s", now, i, note))
				if now < p.sentAt[note]+p.g.Lookahead() {
					p.late = append(p.late, note)
				}
				n++
				sys.Compute(int64(1000 * (i + 1) * (n%10 + 1)))
				if n < rounds || i == 1 {
					p.send(sys, i, 1-i, fmt.Sprintf("ball %d", n*2+i))
				}
			}
		}
	}
}

func runPingPong(t *testing.T, seed uint64, lookahead int64) *pingPong {
	t.Helper()
	g, err := kernel.NewGroup(lookahead)
	require.NoError(t, err)
	p := &pingPong{g: g, sentAt: map[string]int64{}}
	for i := 0; i < 3; i++ {
		k, err := kernel.New(kernel.Config{Seed: seed + uint64(i)})
		require.NoError(t, err)
		_, err = k.Declare("port")
		require.NoError(t, err)
		if i < 2 {
			k.Spawn(ipc.TaskSpec{Name: fmt.Sprintf("side%d", i), Body: p.side(i, 20)})
		} else {
			k.Spawn(ipc.TaskSpec{Name: "ticker", Body: func(sys ipc.Sys) {
				for j := 0; j < 30; j++ {
					sys.Sleep(int64(3000 + sys.Rand()%2000))
					p.log = append(p.log, fmt.Sprintf("%d k2 tick", sys.Now()))
				}
			}})
		}
		assert.Equal(t, i, g.Add(k))
	}
	require.NoError(t, g.Run())
	return p
}

func TestGroupPingPong(t *testing.T) {
	p := runPingPong(t, 1, 5000)
	assert.Empty(t, p.late, "notes delivered before their send time plus the lookahead")
	count := map[string]int{}
	for _, l := range p.log {
		count[strings.Fields(l)[1]]++
	}
	assert.Equal(t, map[string]int{"k0": 20, "k1": 20, "k2": 30}, count, "every ball caught and every tick ticked")
}

func TestGroupIsDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var logs []string
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		logs = append(logs, strings.Join(runPingPong(t, 7, 2500).log, "\n"))
	}
	assert.Equal(t, logs[0], logs[1], "GOMAXPROCS 1 and 2")
	assert.Equal(t, logs[0], logs[2], "GOMAXPROCS 1 and 4")
	other := strings.Join(runPingPong(t, 8, 2500).log, "\n")
	assert.NotEqual(t, logs[0], other, "another seed ticks at other times")
}

// The order of steps across kernels follows virtual time: a kernel never
// logs before another's earlier log by more than the lookahead.
func TestGroupKeepsTimeOrder(t *testing.T) {
	const lookahead = 4000
	p := runPingPong(t, 3, lookahead)
	var latest int64
	for _, l := range p.log {
		var at int64
		_, err := fmt.Sscan(l, &at)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, at, latest-lookahead, "step %q ran after one at %d", l, latest)
		latest = max(latest, at)
	}
}

func TestGroupRefusesNoLookahead(t *testing.T) {
	_, err := kernel.NewGroup(0)
	assert.ErrorContains(t, err, "lookahead")
}

// A kernel that panics ends alone; the others run on.
func TestGroupKernelPanicEndsOnlyIt(t *testing.T) {
	g, err := kernel.NewGroup(1000)
	require.NoError(t, err)
	var done int
	for i := 0; i < 2; i++ {
		k, err := kernel.New(kernel.Config{})
		require.NoError(t, err)
		if i == 0 {
			_, err = k.Place("bad", panicServer{})
			require.NoError(t, err)
			k.Spawn(ipc.TaskSpec{Name: "victim", Body: func(sys ipc.Sys) {
				id, _ := sys.Lookup("bad")
				var rep ipc.Message
				sys.Call(ipc.ServiceEndpoint(id), &ipc.Message{Type: 1}, &rep)
			}})
		} else {
			k.Spawn(ipc.TaskSpec{Name: "survivor", Body: func(sys ipc.Sys) {
				for j := 0; j < 10; j++ {
					sys.Sleep(1_000_000)
				}
				done = 10
			}})
		}
		g.Add(k)
	}
	err = g.Run()
	var p *kernel.Panic
	assert.ErrorAs(t, err, &p, "the panic of kernel 0 is reported")
	assert.Equal(t, 10, done, "kernel 1 ran to its end")
	assert.ErrorIs(t, g.Run(), kernel.ErrGroupRan)
}

type panicServer struct{}

func (panicServer) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message { panic("bad server") }

// queueSource stands for a bus outside the kernels: what a kernel sends
// through it is queued and delivered at Settle, one hop later.
type queueSource struct {
	queue   []func(g *kernel.Group)
	settles int
}

func (q *queueSource) Settle(g *kernel.Group, idle bool) bool {
	q.settles++
	for _, f := range q.queue {
		f(g)
	}
	q.queue = nil
	return false
}

func TestGroupSourceDeliversBetweenTurns(t *testing.T) {
	g, err := kernel.NewGroup(10_000)
	require.NoError(t, err)
	src := &queueSource{}
	g.AddSource(src)
	var got []string
	var replyAt, sentAt int64
	for i := 0; i < 2; i++ {
		k, err := kernel.New(kernel.Config{})
		require.NoError(t, err)
		_, err = k.Declare("port")
		require.NoError(t, err)
		i := i
		k.Spawn(ipc.TaskSpec{Name: "n", Body: func(sys ipc.Sys) {
			sys.Register("port")
			if i == 0 {
				sys.Compute(50_000)
				sentAt = sys.Now()
				g.Outbound(sentAt + 20_000)
				src.queue = append(src.queue, func(g *kernel.Group) {
					g.Post(1, sentAt+20_000, func(now int64) {
						got = append(got, fmt.Sprintf("k1 at %d", now))
						g.Kernel(1).NotifyService("port", 1, now)
					})
				})
				return
			}
			var m ipc.Message
			sys.Receive(ipc.Any, &m)
			replyAt = sys.Now()
		}})
		g.Add(k)
	}
	require.NoError(t, g.Run())
	assert.Equal(t, []string{fmt.Sprintf("k1 at %d", sentAt+20_000)}, got)
	assert.GreaterOrEqual(t, replyAt, sentAt+20_000, "kernel 1 woke when the message arrived")
	assert.Greater(t, src.settles, 1)
}

// BenchmarkGroupPingPong is one note across kernels and back: two turns
// of the group, two handoffs between goroutines. Compare it with
// BenchmarkRefChannel (one channel round trip between goroutines).
func BenchmarkGroupPingPong(b *testing.B) {
	g, err := kernel.NewGroup(1000)
	require.NoError(b, err)
	p := &pingPong{g: g, sentAt: map[string]int64{}}
	for i := 0; i < 2; i++ {
		k, err := kernel.New(kernel.Config{})
		require.NoError(b, err)
		k.Declare("port")
		k.Spawn(ipc.TaskSpec{Name: "side", Body: p.side(i, b.N)})
		g.Add(k)
	}
	b.ResetTimer()
	require.NoError(b, g.Run())
}
