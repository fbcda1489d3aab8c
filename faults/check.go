package faults

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/fs"
	"github.com/mkos/mkos/servers/fs/fsck"
)

// The invariants, by the names reports use.
const (
	InvPanic   = "no kernel panic"
	InvFsck    = "fsck clean"
	InvDurable = "every fsync'ed byte intact"
	// InvErrno: every errno a program sees is one its protocol documents
	// (the protocol package's Errnos, or ipc.CallErrnos).
	InvErrno = "every errno documented for its protocol"
	// InvStub: no program dies of a reply, in a stub or in the code that
	// used what a stub returned (a Go runtime error).
	InvStub = "no program dies in a stub"
	// InvOutput: every job's output is correct, or it failed with an
	// errno. A reply scrambled into another believable one (a count
	// within the buffer, a documented errno) cannot be told from a right
	// one without a checksum: a wrong output after a garbage fault is
	// counted (Believed), not a violation.
	InvOutput    = "output correct"
	InvBlocked   = "no task blocked forever"
	InvServices  = "services all back up"
	InvInjection = "every fault strikes"
)

// Invariants lists them in report order.
var Invariants = []string{InvPanic, InvFsck, InvDurable, InvErrno, InvStub, InvOutput, InvBlocked, InvServices, InvInjection}

// Violation is one invariant a run broke.
type Violation struct {
	Invariant string
	Detail    string
	// Fault is the fault most likely to blame: the last to strike before
	// the violation was seen, or the run's last.
	Fault *Strike
}

// protocols are the documented errno sets of the services the workloads
// call, from their protocol packages.
var protocols = map[string]ipc.Errnos{
	fsproto.Name: fsproto.Errnos, pmproto.Name: pmproto.Errnos, mmproto.Name: mmproto.Errnos,
	dsproto.Name: dsproto.Errnos, diskproto.Name: diskproto.Errnos, netproto.Name: netproto.Errnos,
}

// Documented reports whether errno e is documented for requests to svc:
// in its protocol's Errnos, or among the kernel's own (ipc.CallErrnos).
func Documented(svc string, e ipc.Errno) bool {
	return protocols[svc].Has(e) || ipc.CallErrnos.Has(e)
}

// check tests every invariant of a finished run and records violations
// and expected halts in r.
func check(r *RunResult, c *Campaign, p *plan, sys *boot.System, rec *recorder, w *worker, runErr error) {
	checkHalt(r, p, rec, runErr)
	checkJobs(r, rec, w)
	if rec.workDeath != "" && !r.Halted {
		checkDeath(r, rec)
	}
	if !r.Halted {
		checkTasks(r, p, sys, rec)
	}
	if !r.Halted && !r.HaltExpected && rec.workDeath == "" && !w.recovered && len(w.jobs) > 0 {
		last := w.jobs[len(w.jobs)-1]
		r.violate(InvServices, fmt.Sprintf("no job was correct for %s of virtual time at the end; the last failed with: %v", kernel.FormatNs(stallNs), last.err), rec.last(0))
	}
	if sys.Disk != nil {
		checkDisk(r, sys, rec, w)
	}
	if r.NeverHit != "" {
		r.violate(InvInjection, "armed "+r.NeverHit+", which no request reached in a minute of virtual time", rec.last(0))
	}
}

// last returns the last strike at or before t (any time when t is 0).
func (rec *recorder) last(t int64) *Strike {
	for i := len(rec.strikes) - 1; i >= 0; i-- {
		if t == 0 || rec.strikes[i].AtNs <= t {
			s := rec.strikes[i]
			return &s
		}
	}
	return nil
}

// checkHalt sorts a kernel panic into expected (a crash struck a server
// placed in the kernel) or a violation.
func checkHalt(r *RunResult, p *plan, rec *recorder, runErr error) {
	var kp *kernel.Panic
	if !errors.As(runErr, &kp) {
		return
	}
	r.Halted = true
	last := rec.last(0)
	if last != nil && last.Kind == ipc.InjectCrash && p.inKernel[last.Svc] && kp.Server == last.Svc {
		r.HaltExpected, r.StoppedBy = true, last.Svc
		r.HaltDetail = fmt.Sprintf("kernel panic: %s crashed in the kernel", last.Svc)
		return
	}
	r.violate(InvPanic, kp.Error(), last)
}

// checkJobs classifies each job's outcome.
func checkJobs(r *RunResult, rec *recorder, w *worker) {
	for _, j := range w.jobs {
		r.Jobs++
		if j.err == nil {
			r.JobsOK++
			continue
		}
		blame := rec.last(j.at)
		var se *stepError
		var wo wrongOutput
		var cr crashed
		var errno ipc.Errno
		switch {
		case errors.As(j.err, &cr):
			r.violate(InvStub, fmt.Sprintf("job %d: %v", j.n, j.err), blame)
		case errors.As(j.err, &wo) && blame != nil && blame.Kind == ipc.InjectGarbage:
			r.Believed++
		case errors.As(j.err, &wo):
			r.violate(InvOutput, fmt.Sprintf("job %d: %v", j.n, j.err), blame)
		case errors.As(j.err, &errno) && errors.As(j.err, &se):
			r.count(errno, Documented(se.svc, errno))
			if !Documented(se.svc, errno) {
				r.violate(InvErrno, fmt.Sprintf("job %d: %v (%s is not among %s's documented errors)", j.n, j.err, errnoName(errno), se.svc), blame)
			}
		default:
			r.violate(InvOutput, fmt.Sprintf("job %d: %v", j.n, j.err), blame)
		}
	}
}

// checkDeath sorts the death of the workload program: killed by SIGSEGV
// after a garbage reply — it used an address it was given, or its pager
// answered its fault with garbage — is counted; any other death is a
// violation.
func checkDeath(r *RunResult, rec *recorder) {
	blame := rec.last(rec.workDeathNs)
	if strings.HasPrefix(rec.workDeath, segvCause) && blame != nil && blame.Kind == ipc.InjectGarbage {
		r.Segv++
		return
	}
	r.violate(InvStub, "the workload program was killed: "+rec.workDeath, blame)
}

// segvCause is how the kernel names a death by SIGSEGV.
const segvCause = "segmentation fault"

// checkTasks finds tasks blocked forever and services not back up. A task
// idle in Receive (a server, rs) is fine; any other task alive when the
// kernel found nothing left to run waits for something that will never
// come — a caller an injected hang stopped in the kernel among them.
func checkTasks(r *RunResult, p *plan, sys *boot.System, rec *recorder) {
	last := rec.last(0)
	hungOK := last != nil && last.Kind == ipc.InjectHang && p.inKernel[last.Svc]
	instances := map[ipc.Endpoint]bool{}
	for _, s := range sys.Kernel.Services() {
		for _, ep := range s.Instances {
			instances[ep] = true
		}
	}
	var blocked []string
	hung := map[ipc.Endpoint]bool{}
	for _, t := range sys.Kernel.Tasks() {
		switch {
		case t.State() == "receiving":
		case t.State() == "hung" && instances[t.Endpoint()]:
			hung[t.Endpoint()] = true
		default:
			blocked = append(blocked, t.Name()+" ("+t.State()+")")
		}
	}
	if len(blocked) > 0 {
		if hungOK {
			r.Hung, r.HaltExpected, r.StoppedBy = true, true, last.Svc
			r.HaltDetail = fmt.Sprintf("system hung: %s hung in the kernel", last.Svc)
		} else {
			r.violate(InvBlocked, strings.Join(blocked, ", "), last)
		}
	}
	for _, s := range sys.Kernel.Services() {
		if !slices.Contains(p.targets, s.Name) || s.InKernel {
			continue
		}
		live := slices.DeleteFunc(slices.Clone(s.Instances), func(ep ipc.Endpoint) bool { return hung[ep] })
		if len(live) == 0 {
			r.violate(InvServices, s.Name+" has no live instance", lastOn(rec, s.Name))
		}
	}
}

// lastOn returns the last strike on svc.
func lastOn(rec *recorder, svc string) *Strike {
	for i := len(rec.strikes) - 1; i >= 0; i-- {
		if rec.strikes[i].Svc == svc {
			s := rec.strikes[i]
			return &s
		}
	}
	return nil
}

// checkDisk runs fsck on the disk as the run left it, then mounts it (the
// journal replayed) and reads back every fsync'ed file.
func checkDisk(r *RunResult, sys *boot.System, rec *recorder, w *worker) {
	dev := sys.Disk
	last := rec.last(0)
	rep, err := fsck.Check(dev)
	switch {
	case err != nil:
		r.violate(InvFsck, "fsck: "+err.Error(), last)
	case !rep.Clean():
		r.violate(InvFsck, strings.TrimSpace(rep.String()), last)
	}
	for _, d := range w.durable {
		r.DurableFiles++
		r.DurableBytes += int64(len(d))
	}
	f, err := fs.Mount(dev, fs.Options{})
	if err != nil {
		r.BytesLost = r.DurableBytes
		if r.DurableBytes > 0 {
			r.violate(InvDurable, fmt.Sprintf("the file system does not mount (%v): %d fsync'ed bytes unreadable", err, r.DurableBytes), last)
		}
		return
	}
	for _, path := range sortedPaths(w.durable) {
		want := w.durable[path]
		if lost := lostBytes(f, path, want); lost > 0 {
			r.BytesLost += lost
			r.violate(InvDurable, fmt.Sprintf("%s: %d of %d fsync'ed bytes lost", path, lost, len(want)), last)
		}
	}
}

// offlineProc is the process the offline checks read files as.
const offlineProc = ipc.Endpoint(1)

// lostBytes reads path from the mounted file system and counts the bytes
// of want that are not there: missing, or different.
func lostBytes(f *fs.FS, path string, want []byte) int64 {
	fd, err := f.Open(offlineProc, path, linux.O_RDONLY, 0)
	if err != nil {
		return int64(len(want))
	}
	defer f.Close(offlineProc, fd)
	got := make([]byte, len(want))
	n, err := f.Pread(offlineProc, fd, got, 0)
	if err != nil {
		return int64(len(want))
	}
	var lost int64
	for i := range want {
		if i >= n || got[i] != want[i] {
			lost++
		}
	}
	return lost
}

func sortedPaths(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// errnoName is an errno's symbol, as unix names it (ECONNRESET).
func errnoName(e ipc.Errno) string {
	if n := linux.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}
