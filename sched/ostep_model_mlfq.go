package sched

// This file holds the pure model of cpu-sched-mlfq/mlfq.py; see
// ostep_model.go.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ostepMLFQOpts are mlfq.py's options.
type ostepMLFQOpts struct {
	numQueues, quantum, allotment int    // -n, -q, -a
	quantumList, allotmentList    string // -Q, -A: highest queue first
	numJobs, maxlen, maxio        int    // -j, -m, -M
	boost, ioTime                 int    // -B, -i
	stay, iobump                  bool   // -S, -I
	jlist                         string // -l: start,run,ioFreq:...
}

// ostepMLFQJob is one mlfq.py job; queues are numbered as in the tool,
// numQueues-1 the highest.
type ostepMLFQJob struct {
	currPri, ticksLeft, allotLeft int
	startTime, runTime, timeLeft  int
	ioFreq, firstRun, endTime     int
	doingIO                       bool
}

// ostepMLFQEvent is a job beginning or finishing an I/O.
type ostepMLFQEvent struct {
	job  int
	what string
}

// ostepMLFQ returns mlfq.py's output for o with -c, quirks included: the
// running job stays at the head of its queue, a boost appends the lower
// queues lowest first, and -S resets the allotment before the slice that
// just ended is charged. It is a pure model for cross-checking, not a
// policy.
func ostepMLFQ(o ostepMLFQOpts, random func() float64) string {
	var b strings.Builder
	quantum := ostepLevels(o.numQueues, o.quantumList, o.quantum)
	allot := ostepLevels(len(quantum), o.allotmentList, o.allotment)
	nq := len(quantum)
	hi := nq - 1
	var jobs []ostepMLFQJob
	ioDone := map[int][]ostepMLFQEvent{}
	add := func(start, run, io int) {
		ioDone[start] = append(ioDone[start], ostepMLFQEvent{len(jobs), "JOB BEGINS"})
		jobs = append(jobs, ostepMLFQJob{currPri: hi, ticksLeft: quantum[hi], allotLeft: allot[hi],
			startTime: start, runTime: run, timeLeft: run, ioFreq: io, firstRun: -1})
	}
	if o.jlist != "" {
		for _, s := range strings.Split(o.jlist, ":") {
			f := strings.Split(s, ",")
			start, _ := strconv.Atoi(f[0])
			run, _ := strconv.Atoi(f[1])
			io, _ := strconv.Atoi(f[2])
			add(start, run, io)
		}
	} else {
		for range o.numJobs {
			run := int(float64(random()*float64(o.maxlen-1)) + 1)
			io := int(float64(random()*float64(o.maxio-1)) + 1)
			add(0, run, io)
		}
	}
	ostepMLFQHeader(&b, o, quantum, allot, jobs)

	queue := make([][]int, nq)
	findQueue := func() int {
		for q := hi; q >= 0; q-- {
			if len(queue[q]) > 0 {
				return q
			}
		}
		return -1
	}
	b.WriteString("\nExecution Trace:\n\n")
	for now, finished := 0, 0; finished < len(jobs); {
		if o.boost > 0 && now != 0 && now%o.boost == 0 {
			fmt.Fprintf(&b, "[ time %d ] BOOST ( every %d )\n", now, o.boost)
			for q := range nq - 1 {
				for _, j := range queue[q] {
					if !jobs[j].doingIO {
						queue[hi] = append(queue[hi], j)
					}
				}
				queue[q] = nil
			}
			for j := range jobs {
				if jobs[j].timeLeft > 0 {
					jobs[j].currPri, jobs[j].ticksLeft, jobs[j].allotLeft = hi, quantum[hi], allot[hi]
				}
			}
		}
		for _, ev := range ioDone[now] {
			q := jobs[ev.job].currPri
			jobs[ev.job].doingIO = false
			fmt.Fprintf(&b, "[ time %d ] %s by JOB %d\n", now, ev.what, ev.job)
			if !o.iobump || ev.what == "JOB BEGINS" {
				queue[q] = append(queue[q], ev.job)
			} else {
				queue[q] = slices.Insert(queue[q], 0, ev.job)
			}
		}
		cq := findQueue()
		if cq == -1 {
			fmt.Fprintf(&b, "[ time %d ] IDLE\n", now)
			now++
			continue
		}
		cj := queue[cq][0]
		j := &jobs[cj]
		j.timeLeft--
		j.ticksLeft--
		if j.firstRun == -1 {
			j.firstRun = now
		}
		ticksLeft := j.ticksLeft
		fmt.Fprintf(&b, "[ time %d ] Run JOB %d at PRIORITY %d [ TICKS %d ALLOT %d TIME %d (of %d) ]\n",
			now, cj, cq, j.ticksLeft, j.allotLeft, j.timeLeft, j.runTime)
		now++
		if j.timeLeft == 0 {
			fmt.Fprintf(&b, "[ time %d ] FINISHED JOB %d\n", now, cj)
			finished++
			j.endTime = now
			queue[cq] = queue[cq][1:]
			continue
		}
		issuedIO := false
		if j.ioFreq > 0 && (j.runTime-j.timeLeft)%j.ioFreq == 0 {
			fmt.Fprintf(&b, "[ time %d ] IO_START by JOB %d\n", now, cj)
			issuedIO = true
			queue[cq] = queue[cq][1:]
			j.doingIO = true
			if o.stay {
				j.ticksLeft, j.allotLeft = quantum[cq], allot[cq]
			}
			b.WriteString("IO DONE\n")
			ioDone[now+o.ioTime] = append(ioDone[now+o.ioTime], ostepMLFQEvent{cj, "IO_DONE"})
		}
		if ticksLeft != 0 {
			continue
		}
		if !issuedIO {
			queue[cq] = queue[cq][1:]
		}
		j.allotLeft--
		switch {
		case j.allotLeft == 0 && cq > 0:
			j.currPri, j.ticksLeft, j.allotLeft = cq-1, quantum[cq-1], allot[cq-1]
			if !issuedIO {
				queue[cq-1] = append(queue[cq-1], cj)
			}
		case j.allotLeft == 0:
			j.ticksLeft, j.allotLeft = quantum[cq], allot[cq]
			fallthrough
		default:
			j.ticksLeft = quantum[cq]
			if !issuedIO {
				queue[cq] = append(queue[cq], cj)
			}
		}
	}
	ostepMLFQStats(&b, jobs)
	return b.String()
}

// ostepLevels returns n values, one per queue, lowest queue first: list's
// entries (highest queue first, and then n is their count) or def.
func ostepLevels(n int, list string, def int) []int {
	if list != "" {
		f := strings.Split(list, ",")
		v := make([]int, len(f))
		for i, s := range f {
			v[len(f)-1-i], _ = strconv.Atoi(s)
		}
		return v
	}
	v := make([]int, n)
	for i := range v {
		v[i] = def
	}
	return v
}

// ostepMLFQHeader writes mlfq.py's list of inputs and jobs.
func ostepMLFQHeader(b *strings.Builder, o ostepMLFQOpts, quantum, allot []int, jobs []ostepMLFQJob) {
	fmt.Fprintf(b, "Here is the list of inputs:\nOPTIONS jobs %d\nOPTIONS queues %d\n", len(jobs), len(quantum))
	for i := len(quantum) - 1; i >= 0; i-- {
		fmt.Fprintf(b, "OPTIONS allotments for queue %2d is %3d\n", i, allot[i])
		fmt.Fprintf(b, "OPTIONS quantum length for queue %2d is %3d\n", i, quantum[i])
	}
	fmt.Fprintf(b, "OPTIONS boost %d\nOPTIONS ioTime %d\nOPTIONS stayAfterIO %s\nOPTIONS iobump %s\n\n\n",
		o.boost, o.ioTime, pyBool(o.stay), pyBool(o.iobump))
	b.WriteString("For each job, three defining characteristics are given:\n" +
		"  startTime : at what time does the job enter the system\n" +
		"  runTime   : the total CPU time needed by the job to finish\n" +
		"  ioFreq    : every ioFreq time units, the job issues an I/O\n" +
		"              (the I/O takes ioTime units to complete)\n\n")
	b.WriteString("Job List:\n")
	for i, j := range jobs {
		fmt.Fprintf(b, "  Job %2d: startTime %3d - runTime %3d - ioFreq %3d\n", i, j.startTime, j.runTime, j.ioFreq)
	}
	b.WriteString("\n")
}

// ostepMLFQStats writes mlfq.py's final statistics.
func ostepMLFQStats(b *strings.Builder, jobs []ostepMLFQJob) {
	b.WriteString("\nFinal statistics:\n")
	var rs, ts int
	for i, j := range jobs {
		r, t := j.firstRun-j.startTime, j.endTime-j.startTime
		fmt.Fprintf(b, "  Job %2d: startTime %3d - response %3d - turnaround %3d\n", i, j.startTime, r, t)
		rs += r
		ts += t
	}
	n := float64(len(jobs))
	fmt.Fprintf(b, "\n  Avg %2d: startTime n/a - response %.2f - turnaround %.2f\n\n\n",
		len(jobs)-1, float64(rs)/n, float64(ts)/n)
}
