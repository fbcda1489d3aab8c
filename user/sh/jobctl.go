package sh

import (
	"slices"
	"strconv"
	"strings"

	"github.com/mkos/mkos/ipc/linux"
)

// Job control: ^Z stops the foreground job (the console sends SIGTSTP
// to its process group; pm stops it and tells the shell's WUNTRACED
// wait), the shell lists it as stopped and takes the terminal back; fg
// continues it in the foreground, bg in the background (SIGCONT to its
// group).

// stoppedJob lists a job that stopped in the foreground; $? is 128 plus
// the stop signal, as in other shells.
func (s *Shell) stoppedJob(j *job) {
	j.bg = true
	s.addJobQuiet(j)
	if s.interactive {
		s.p.Fprintf(2, "[%d]+  Stopped    %s\n", j.id, j.text)
	}
	s.status = 128 + int(linux.SIGTSTP)
}

// addJobQuiet lists j as a job without announcing it, keeping its id if
// it had one.
func (s *Shell) addJobQuiet(j *job) {
	for _, o := range s.jobs {
		if o == j {
			return
		}
	}
	if j.id == 0 {
		j.id = 1
		for _, o := range s.jobs {
			j.id = max(j.id, o.id+1)
		}
	}
	s.jobs = append(s.jobs, j)
}

// jobArg finds the job fg or bg names: %N or N (the job's number), or the
// last job.
func (s *Shell) jobArg(name string, argv []string, io stdio) *job {
	if len(s.jobs) == 0 {
		s.builtinError(io, name, "no current job")
		return nil
	}
	if len(argv) < 2 {
		return s.jobs[len(s.jobs)-1]
	}
	n, err := strconv.Atoi(strings.TrimPrefix(argv[1], "%"))
	for _, j := range s.jobs {
		if err == nil && j.id == n {
			return j
		}
	}
	s.builtinError(io, name, "%s: no such job", argv[1])
	return nil
}

// killJobs turns the job specs (%N) among kill's arguments into what
// /bin/kill takes: the job's process group (-PGID, after "--" so that it
// is not read as a signal) with job control, else its commands' pids. A
// spec that names no job is left for kill to refuse.
func (s *Shell) killJobs(argv []string) []string {
	if !slices.ContainsFunc(argv[1:], func(a string) bool { return strings.HasPrefix(a, "%") }) {
		return argv
	}
	out := []string{argv[0]}
	i := 1
	for i < len(argv) && strings.HasPrefix(argv[i], "-") && argv[i] != "--" { // the signal
		if argv[i] == "-s" && i+1 < len(argv) {
			out = append(out, argv[i])
			i++
		}
		out = append(out, argv[i])
		i++
	}
	if i < len(argv) && argv[i] == "--" {
		i++
	}
	out = append(out, "--")
	for _, a := range argv[i:] {
		out = append(out, s.jobPids(a)...)
	}
	return out
}

// jobPids returns what kill signals for argument a: a itself unless it is
// a job spec (%N, %% or %+ for the last job) of a running job.
func (s *Shell) jobPids(a string) []string {
	spec, ok := strings.CutPrefix(a, "%")
	if !ok || len(s.jobs) == 0 {
		return []string{a}
	}
	j := s.jobs[len(s.jobs)-1]
	if spec != "%" && spec != "+" && spec != "" {
		n, err := strconv.Atoi(spec)
		i := slices.IndexFunc(s.jobs, func(j *job) bool { return j.id == n })
		if err != nil || i < 0 {
			return []string{a}
		}
		j = s.jobs[i]
	}
	if j.pgid != 0 {
		return []string{strconv.Itoa(-j.pgid)}
	}
	var pids []string
	for _, st := range j.stages {
		if !st.done && st.pid > 0 {
			pids = append(pids, strconv.Itoa(st.pid))
		}
	}
	if len(pids) == 0 {
		return []string{a}
	}
	return pids
}

// continueJob sends SIGCONT to j's commands (its group, with job
// control) and marks them running.
func (s *Shell) continueJob(j *job) {
	if j.pgid != 0 {
		_ = s.p.Kill(-j.pgid, linux.SIGCONT)
	}
	for _, st := range j.stages {
		if st.stopped {
			if j.pgid == 0 {
				_ = s.p.Kill(st.pid, linux.SIGCONT)
			}
			st.stopped = false
		}
	}
}

// fg continues a job in the foreground and waits for it.
func (s *Shell) fg(argv []string, io stdio) int {
	j := s.jobArg("fg", argv, io)
	if j == nil {
		return 1
	}
	s.printf(io, "%s\n", j.text)
	s.removeJob(j)
	j.bg = false
	if s.monitor && j.pgid != 0 {
		_ = s.p.Tcsetpgrp(0, j.pgid)
	}
	s.continueJob(j)
	s.finish(j, false)
	return s.status
}

// bg continues a stopped job in the background.
func (s *Shell) bg(argv []string, io stdio) int {
	j := s.jobArg("bg", argv, io)
	if j == nil {
		return 1
	}
	s.continueJob(j)
	s.printf(io, "[%d]+ %s &\n", j.id, j.text)
	return 0
}

// removeJob takes j off the job list.
func (s *Shell) removeJob(j *job) {
	for i, o := range s.jobs {
		if o == j {
			s.jobs = append(s.jobs[:i], s.jobs[i+1:]...)
			return
		}
	}
}
