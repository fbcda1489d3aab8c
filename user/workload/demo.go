package workload

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/nullproto"
)

// Services are the services the demo clients call.
var Services = []string{echoproto.Name, nullproto.Name}

// Demo configures the demo clients.
type Demo struct {
	// Calls is the number of echo+null rounds per client.
	Calls int
	// ComputeNs bounds the virtual CPU burnt between rounds; each round
	// draws a length below it from the kernel's seeded generator.
	ComputeNs int64
	// CrashAt, when positive, makes client 0 ask the echo server to crash
	// before that round: fault injection.
	CrashAt int
	// BulkEvery makes every n-th echo a 4 KiB bulk echo (0: never).
	BulkEvery int
	// Files makes each client keep a log file on the file server
	// (demo_files.go): with a disk, the demo touches it.
	Files bool
}

// Tally is what the clients saw. The harness reads it after the run.
type Tally struct {
	Calls      int            // calls that got a correct answer
	Wrong      int            // echoes that came back different
	Retries    int            // calls retried after the service died
	Errors     map[string]int // calls that failed, by error text
	Finished   int            // clients that ran to the end
	FileWrites int            // records written to the clients' log files
}

func (t *Tally) fail(err error) {
	if t.Errors == nil {
		t.Errors = map[string]int{}
	}
	t.Errors[err.Error()]++
}

// Client returns the body of demo client number id.
func (d Demo) Client(id int, tally *Tally) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		echo, err1 := lookup(sys, echoproto.Name)
		null, err2 := lookup(sys, nullproto.Name)
		if err := errors.Join(err1, err2); err != nil {
			tally.fail(err)
			return
		}
		var log *demoLog
		if d.Files {
			log = openLog(sys, id, tally)
		}
		var req, rep ipc.Message
		for i := 1; i <= d.Calls; i++ {
			if d.ComputeNs > 0 {
				sys.Compute(int64(sys.Rand() % uint64(d.ComputeNs)))
			}
			if id == 0 && i == d.CrashAt {
				_ = echoproto.CrashIt(sys, echo) // the reply is the crash itself
			}
			d.echoRound(sys, echo, id, i, tally)
			log.record(id, i, tally)
			if err := nullproto.Call(sys, null, &req, &rep); err != nil {
				tally.fail(fmt.Errorf("null: %w", err))
				continue
			}
			tally.Calls++
		}
		log.close(tally)
		tally.Finished++
	}
}

// echoRound makes one echo call and checks the answer. Echo is idempotent,
// so a call that failed because the server died is simply made again: the
// restart is invisible to the program.
func (d Demo) echoRound(sys ipc.Sys, echo ipc.Endpoint, id, i int, tally *Tally) {
	in := []byte(fmt.Sprintf("client %d round %d", id, i))
	if d.BulkEvery > 0 && i%d.BulkEvery == 0 {
		in = bytes.Repeat(in, 4096/len(in)+1)[:4096]
	}
	out := make([]byte, len(in))
	for try := 0; ; try++ {
		n, err := echoproto.Call(sys, echo, in, out)
		if errors.Is(err, ipc.ErrServiceDied) && try < 3 {
			tally.Retries++
			continue
		}
		if err != nil {
			tally.fail(fmt.Errorf("echo: %w", err))
			return
		}
		if !bytes.Equal(out[:n], in) {
			tally.Wrong++
			return
		}
		tally.Calls++
		return
	}
}

// lookup finds a service, waiting a little for it to register at boot.
func lookup(sys ipc.Sys, name string) (ipc.Endpoint, error) {
	for try := 0; ; try++ {
		id, err := sys.Lookup(name)
		if err == nil {
			return ipc.ServiceEndpoint(id), nil
		}
		if try == 100 {
			return 0, fmt.Errorf("lookup %s: %s: %w", name, ipc.Explain(ipc.ErrnoOf(err)), err)
		}
		sys.Sleep(10_000)
	}
}

// NullLoop returns a body that makes n null calls, for benchmarks; done is
// called with the number that succeeded.
func NullLoop(n int, done func(ok int)) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		null, err := lookup(sys, nullproto.Name)
		if err != nil {
			done(0)
			return
		}
		var req, rep ipc.Message
		ok := 0
		for i := 0; i < n; i++ {
			if nullproto.Call(sys, null, &req, &rep) == nil {
				ok++
			}
		}
		done(ok)
	}
}
