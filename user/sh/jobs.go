package sh

import (
	"errors"

	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Jobs: pipelines the shell started and has not collected yet.

// job is one pipeline run as a unit.
type job struct {
	id     int
	text   string
	bg     bool
	pgid   int // with job control; 0 otherwise
	stages []*stage
}

// running reports whether some command of the job has not ended.
func (j *job) running() bool {
	for _, st := range j.stages {
		if !st.done {
			return true
		}
	}
	return false
}

// status is the job's status: its last command's.
func (j *job) status() int { return j.stages[len(j.stages)-1].status }

// lastPid is the pid of the job's last started command.
func (j *job) lastPid() int {
	for i := len(j.stages) - 1; i >= 0; i-- {
		if j.stages[i].pid != 0 {
			return j.stages[i].pid
		}
	}
	return 0
}

// addJob lists a background job and sets $!.
func (s *Shell) addJob(j *job) {
	j.id = 1
	for _, o := range s.jobs {
		j.id = max(j.id, o.id+1)
	}
	s.jobs = append(s.jobs, j)
	s.lastBg = j.lastPid()
	if s.interactive {
		s.p.Fprintf(2, "[%d] %d\n", j.id, s.lastBg)
	}
}

// waitFor waits until every command of j has ended, collecting whatever
// other child ends meanwhile.
func (s *Shell) waitFor(j *job) {
	s.jobs = append(s.jobs, j)
	for j.running() && !j.stopped() && s.waitOne(0) {
	}
	s.jobs = s.jobs[:len(s.jobs)-1]
}

// waitOne collects one ended child (options 0 or WNOHANG) and reports
// whether it did. With job control it hears of stopped ones too.
func (s *Shell) waitOne(options int) bool {
	if s.monitor {
		options |= pmproto.WUNTRACED
	}
	pid, ws, err := s.p.Waitpid(-1, options)
	if errors.Is(err, linux.ECHILD) {
		s.forgetAll()
	}
	if err != nil || pid <= 0 {
		return false
	}
	for _, j := range s.jobs {
		j.record(pid, ws)
	}
	return true
}

// record notes the end of pid if it is one of j's commands.
func (j *job) record(pid int, ws linux.WaitStatus) {
	for _, st := range j.stages {
		switch {
		case st.pid != pid || st.done:
		case ws.Stopped():
			st.stopped = true
		default:
			st.status, st.done, st.stopped = pmproto.ShellStatus(ws), true, false
		}
	}
}

// stopped reports whether every command of j still running is stopped.
func (j *job) stopped() bool {
	any := false
	for _, st := range j.stages {
		if !st.done && !st.stopped {
			return false
		}
		any = any || st.stopped
	}
	return any
}

// forgetAll marks every command as ended: the shell has no child left
// (pm restarted without them, or someone else reaped them).
func (s *Shell) forgetAll() {
	for _, j := range s.jobs {
		for _, st := range j.stages {
			st.done = true
		}
	}
}

// reapJobs collects the background jobs that ended, without blocking, and
// tells an interactive user.
func (s *Shell) reapJobs() {
	for len(s.jobs) > 0 && s.waitOne(pmproto.WNOHANG) {
	}
	s.dropDone(s.interactive)
}

// dropDone removes the jobs that ended from the list, telling of each
// when tell is set.
func (s *Shell) dropDone(tell bool) {
	var keep []*job
	for _, j := range s.jobs {
		switch {
		case j.running() || !j.bg || j.stopped():
			keep = append(keep, j)
		case tell && j.status() == 0:
			s.p.Fprintf(2, "[%d]+ Done       %s\n", j.id, j.text)
		case tell:
			s.p.Fprintf(2, "[%d]+ Exit %-6d %s\n", j.id, j.status(), j.text)
		}
	}
	s.jobs = keep
}
