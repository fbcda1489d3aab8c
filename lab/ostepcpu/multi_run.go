package ostepcpu

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mkos/mkos/lab/osteptool"
)

// multiCache is one CPU's cache in multi.py's model: the jobs whose
// working sets it holds (warm, most recent first, their sum within its
// size unless only one), and those warming up with the ticks they still
// need.
type multiCache struct {
	jobs              map[string]*multiJob
	size              int64
	warmRate, warmup  int64
	contents, warming []string
	counter           map[string]int64
}

// newJob is a job starting on the CPU: it starts warming, or with no
// warm-up time is at once in the cache.
func (c *multiCache) newJob(name string) {
	if slices.Contains(c.contents, name) || slices.Contains(c.warming, name) {
		return
	}
	if c.warmup == 0 {
		c.contents = slices.Insert(c.contents, 0, name)
		c.adjust()
		return
	}
	c.warming = append(c.warming, name)
	c.counter[name] = c.warmup
}

// adjust evicts the least recent working sets until the rest fit; an
// evicted job warms up again.
func (c *multiCache) adjust() {
	var total int64
	for _, n := range c.contents {
		total += c.jobs[n].wset
	}
	for total > c.size {
		gone := c.contents[len(c.contents)-1]
		c.contents = c.contents[:len(c.contents)-1]
		c.warming = append(c.warming, gone)
		c.counter[gone] = c.warmup
		total -= c.jobs[gone].wset
	}
}

// rate is how much work a tick of name does: the warm rate in the cache,
// else 1.
func (c *multiCache) rate(name string) int64 {
	if slices.Contains(c.contents, name) {
		return c.warmRate
	}
	return 1
}

// tickWarming counts a tick of name's warm-up.
func (c *multiCache) tickWarming(name string) {
	if !slices.Contains(c.warming, name) {
		return
	}
	c.counter[name]--
	if c.counter[name] <= 0 {
		i := slices.Index(c.warming, name)
		c.warming = slices.Delete(c.warming, i, i+1)
		c.contents = slices.Insert(c.contents, 0, name)
		c.adjust()
	}
}

// maxStallTicks bounds a run whose warm rate does no work: a job in a
// warm cache would then never finish, and the script would run forever.
const maxStallTicks = 1_000_000

// run is the script's main loop: per tick, the quantum's end, stealing,
// assigning jobs to idle CPUs, and one tick of work on each.
func (m *multi) run() error {
	var bound int64 = -1
	if m.warmRate < 1 {
		bound = maxStallTicks
	}
	for m.finished < len(m.names) {
		if bound >= 0 && m.now > bound {
			return fmt.Errorf("the script would run forever: a warm rate of %d does no work (stopped at time %d)", m.warmRate, m.now)
		}
		if err := m.interrupts(); err != nil {
			return err
		}
		if err := m.steal(); err != nil {
			return err
		}
		m.assign()
		m.runJobs()
		m.printQueues()
		if m.trace {
			fmt.Fprintln(m.out)
		}
		m.now++
	}
	if m.solve {
		fmt.Fprintf(m.out, "\nFinished time %d\n\nPer-CPU stats\n", m.now)
		for cpu := range m.cpus {
			fmt.Fprintf(m.out, "  CPU %d  utilization %3.2f [ warm %3.2f ]\n", cpu,
				100.0*float64(m.ran[cpu])/float64(m.now), 100.0*float64(m.ranWarm[cpu])/float64(m.now))
		}
		fmt.Fprintln(m.out)
	}
	return nil
}

// interrupts ends every running job's quantum when one is over, putting
// it back on its CPU's queue, and starts the tick's trace line.
func (m *multi) interrupts() error {
	if m.slice == 0 {
		return osteptool.PyError("ZeroDivisionError: integer modulo by zero")
	}
	interrupt := m.now%m.slice == 0 && m.now > 0
	if interrupt && m.trace {
		n := 8 + 7*m.cpus - 5
		if m.traceLeft {
			n += 6 * m.cpus
		}
		if m.traceCache {
			n += 8*m.cpus + len(m.names)*m.cpus
		}
		fmt.Fprintln(m.out, strings.Repeat("-", n))
	}
	if m.trace {
		fmt.Fprintf(m.out, " %3d   ", m.now)
	}
	for cpu := range m.cpus {
		if interrupt && m.running[cpu] != "" {
			q := m.queue(cpu)
			*q = append(*q, m.running[cpu])
			m.running[cpu] = ""
		}
	}
	return nil
}

// steal lets each CPU with an empty queue take one job from a random
// other CPU's queue, every -P ticks (per-CPU queues only).
func (m *multi) steal() error {
	if !m.perCPU || m.peek <= 0 || m.now == 0 || m.now%m.peek != 0 {
		return nil
	}
	for cpu := range m.cpus {
		if len(m.queues[cpu]) != 0 {
			continue
		}
		if m.cpus < 2 {
			return osteptool.PyError("IndexError: Cannot choose from an empty sequence")
		}
		others := make([]int, 0, m.cpus-1)
		for c := range m.cpus {
			if c != cpu {
				others = append(others, c)
			}
		}
		other := others[m.r.Choice(len(others))]
		for i, name := range m.queues[other] {
			if m.jobs[name].mayStealTo(cpu) {
				m.queues[other] = slices.Delete(m.queues[other], i, i+1)
				m.queues[cpu] = append(m.queues[cpu], name)
				break
			}
		}
	}
	return nil
}

// mayStealTo is the script's test for taking j to cpu. With an affinity
// list the script asks `cpu in job`, a membership test on the job's
// record: true when cpu equals its run time or its working-set size.
func (j *multiJob) mayStealTo(cpu int) bool {
	return len(j.affinity) == 0 || int64(cpu) == j.runTime || int64(cpu) == j.wset
}

// assign gives each idle CPU, in order (or shuffled with -o), the first
// job of its queue that may run on it.
func (m *multi) assign() {
	order := make([]int, m.cpus)
	for i := range order {
		order[i] = i
	}
	if m.randomOrder {
		m.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	for _, cpu := range order {
		if m.running[cpu] != "" {
			continue
		}
		q := m.queue(cpu)
		for i, name := range *q {
			if m.jobs[name].allowed(cpu) {
				*q = slices.Delete(*q, i, i+1)
				m.running[cpu] = name
				m.caches[cpu].newJob(name)
				break
			}
		}
	}
}

// runJobs does one tick of work on every busy CPU and traces it.
func (m *multi) runJobs() {
	for cpu := range m.cpus {
		if name := m.running[cpu]; name != "" {
			m.tick(cpu, name)
		} else if m.trace {
			fmt.Fprint(m.out, "- ")
			if m.traceLeft {
				fmt.Fprint(m.out, "[   ] ")
			}
		}
		if m.trace {
			if m.traceCache {
				var b strings.Builder
				for _, n := range m.names {
					if slices.Contains(m.caches[cpu].contents, n) {
						b.WriteByte('w')
					} else {
						b.WriteByte(' ')
					}
				}
				fmt.Fprintf(m.out, "cache[%s]", b.String())
			}
			fmt.Fprint(m.out, "     ")
		}
	}
}

// tick runs name on cpu for one tick.
func (m *multi) tick(cpu int, name string) {
	j := m.jobs[name]
	rate := m.caches[cpu].rate(name)
	m.ran[cpu]++
	if rate > 1 {
		m.ranWarm[cpu]++
	}
	j.timeLeft = max(j.timeLeft-rate, 0)
	if m.trace {
		fmt.Fprintf(m.out, "%s ", name)
		if m.traceLeft {
			fmt.Fprintf(m.out, "[%3d] ", j.timeLeft)
		}
	}
	m.caches[cpu].tickWarming(name)
	if j.timeLeft <= 0 {
		m.running[cpu] = ""
		m.finished++
	}
}

// printQueues traces the queues (-S).
func (m *multi) printQueues() {
	if !m.traceSched {
		return
	}
	if m.perCPU {
		for cpu := range m.cpus {
			fmt.Fprintf(m.out, "Q%d: ", cpu)
			for _, n := range m.queues[cpu] {
				fmt.Fprintf(m.out, "%s ", n)
			}
			fmt.Fprint(m.out, "  ")
		}
		fmt.Fprint(m.out, "    ")
		return
	}
	fmt.Fprint(m.out, "Q: ")
	for _, n := range *m.central {
		fmt.Fprintf(m.out, "%s ", n)
	}
	fmt.Fprint(m.out, "    ")
}
