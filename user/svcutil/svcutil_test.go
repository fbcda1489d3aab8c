package svcutil_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/user/svcutil"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// session boots mode with echo and null and runs each command line in
// turn from one task, as a shell would; it returns what each printed and
// its exit status, and the run's summary and error.
func session(t *testing.T, mode boot.Mode, cmds ...string) ([]string, []int, *boot.Summary, error) {
	t.Helper()
	cfg := boot.Default()
	cfg.Mode, cfg.Workload = mode, boot.WorkloadConf{}
	cfg.RS.PingPeriod, cfg.RS.PingTimeout = boot.Duration(10*time.Millisecond), boot.Duration(2*time.Millisecond)
	sys, err := boot.Boot(cfg, nil)
	require.NoError(t, err)
	outs, codes := make([]string, len(cmds)), make([]int, len(cmds))
	for i := range codes {
		codes[i] = -1 // never ran
	}
	_, err = sys.Kernel.Spawn(ipc.TaskSpec{Name: "sh", Body: func(s ipc.Sys) {
		for i, c := range cmds {
			var out bytes.Buffer
			argv := strings.Fields(c)
			prog := map[string]func(*bytes.Buffer) int{
				"svc":   func(b *bytes.Buffer) int { return svcutil.Svc(b)(s, argv, nil) },
				"crash": func(b *bytes.Buffer) int { return svcutil.Crash(b)(s, argv, nil) },
				"echo":  func(b *bytes.Buffer) int { return echoCall(s, b) },
				"sleep": func(*bytes.Buffer) int { s.Sleep(int64(50 * time.Millisecond)); return 0 },
			}[argv[0]]
			codes[i] = prog(&out)
			outs[i] = out.String()
		}
	}})
	require.NoError(t, err)
	sum, err := sys.Run()
	require.NoError(t, sys.Close())
	return outs, codes, sum, err
}

// echoCall makes one echo call, retried once if the instance died.
func echoCall(s ipc.Sys, out *bytes.Buffer) int {
	ep, err := ipc.Dial(s, echoproto.Name)
	if err != nil {
		return 1
	}
	buf := make([]byte, 8)
	n, err := echoproto.Call(s, ep, []byte("ping"), buf)
	if err != nil {
		out.WriteString("first: " + err.Error() + "\n")
		n, err = echoproto.Call(s, ep, []byte("ping"), buf)
	}
	if err != nil {
		out.WriteString(err.Error())
		return 1
	}
	out.Write(buf[:n])
	return 0
}

func TestSvcCommands(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			outs, codes, sum, err := session(t, mode,
				"svc list",               // 0
				"svc restart echo",       // 1
				"svc stop echo",          // 2
				"svc list",               // 3
				"svc start echo",         // 4
				"svc start echo",         // 5: already running
				"svc replace echo echo2", // 6
				"svc replace echo null",  // 7: another protocol
				"svc restart ftp",        // 8
				"svc stop rs",            // 9
				"svc",                    // 10
				"echo",                   // 11
				"svc log",                // 12
				"svc restart null",       // 13: in the kernel in hybrid
			)
			require.NoError(t, err)
			assert.Equal(t, []int{0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 2, 0, 0}, codes[:13])
			assert.Regexp(t, `(?m)^SERVICE +STATE +PLACEMENT +IMPL +TASK +RESTARTS +UPTIME +REQUESTS +ERRORS +LAST DEATH$`, outs[0])
			assert.Regexp(t, `(?m)^echo +up +user +echo +1\.1 +0 +\S+ +0 +0 +-$`, outs[0])
			assert.Regexp(t, `(?m)^rs +up +user +rs +\d\.1 +0 `, outs[0])
			assert.Equal(t, "echo restarted: 1.1 → 1.2\n", outs[1])
			assert.Equal(t, "echo stopped\n", outs[2])
			assert.Regexp(t, `(?m)^echo +stopped +user +echo +- +1 +- +0 +0 +stop requested by \d+\.1$`, outs[3])
			assert.Equal(t, "echo started: 1.3\n", outs[4])
			assert.Equal(t, "svc: start echo: echo is already running (EALREADY)\n", outs[5])
			assert.Equal(t, "echo now runs echo2: 1.3 → 1.4\n", outs[6])
			assert.Equal(t, "svc: replace echo null: null does not speak the echo protocol (EINVAL)\n", outs[7])
			assert.Equal(t, "svc: restart ftp: no such service (ENOENT)\n", outs[8])
			assert.Equal(t, "svc: stop rs: rs can only be restarted (EPERM)\n", outs[9])
			assert.Contains(t, outs[10], "usage: svc list")
			assert.Equal(t, "ping", outs[11])
			lines := strings.Split(strings.TrimSpace(outs[12]), "\n")
			require.Len(t, lines, 3, outs[12])
			assert.Regexp(t, `^TIME +SERVICE +OLD +NEW +DOWN +CAUSE$`, lines[0])
			assert.Regexp(t, `^\S+ +echo +1\.1 +1\.2 +\d+ns +restart requested by \d+\.1$`, lines[1])
			assert.Regexp(t, `^\S+ +echo +1\.3 +1\.4 +\d+ns +replaced by echo2 requested by \d+\.1$`, lines[2])
			if mode == boot.Hybrid {
				assert.Equal(t, 1, codes[13])
				assert.Equal(t, "svc: restart null: null is placed in the kernel: it cannot stop or restart without the system (EPERM)\n", outs[13])
			} else {
				assert.Equal(t, 0, codes[13])
				assert.Equal(t, "null restarted: 2.1 → 2.2\n", outs[13])
			}
			restarts := 2 // echo's restart and replace
			if mode == boot.Micro {
				restarts++ // null's
			}
			assert.Len(t, sum.Restarts, restarts, "the summary has rs's restarts")
		})
	}
}

// In mono mode rs runs too — it restarts nothing there, but lists the
// services and is the fault controller — and refuses to restart a server
// placed in the kernel.
func TestSvcInMono(t *testing.T) {
	outs, codes, _, err := session(t, boot.Mono, "svc list", "svc restart echo")
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1}, codes)
	assert.Regexp(t, `echo +kernel`, outs[0])
	assert.Contains(t, outs[1], "EPERM")
}

// crash in every kind, where rs supervises the service: the crash and the
// hang end in a restart (the hang through a ping rs sends), the scrambled
// and the slow reply do not.
func TestCrashEveryKind(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			outs, codes, sum, err := session(t, mode,
				"crash echo",
				"echo",
				"crash echo --hang",
				"echo",
				"crash echo --garbage",
				"crash echo --slow=5ms",
				"crash echo --armed",
				"echo",
				"crash nosuch",
				"crash",
				"crash echo --boom",
				"svc log",
			)
			require.NoError(t, err)
			assert.Equal(t, []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 0}, codes)
			assert.Equal(t, "crash: echo: crashed serving the request (ECONNRESET); rs restarts it\n", outs[0])
			assert.Equal(t, "ping", outs[1], "the request waits for the restart")
			assert.Equal(t, "crash: echo: hung: no answer in 10.000ms; rs kills and restarts it when a ping goes unanswered\n", outs[2])
			assert.Equal(t, "ping", outs[3])
			assert.Regexp(t, `^crash: echo: answered with a scrambled reply \(type 0xff02, errno \d+, len \d+\)\n$`, outs[4])
			assert.Equal(t, "crash: echo: answered after 5.000ms\n", outs[5])
			assert.Equal(t, "crash: echo: crash armed: it hits the next request echo receives\n", outs[6])
			assert.Equal(t, "first: "+ipc.ErrServiceDied.Error()+"\nping", outs[7], "the next request took the crash")
			assert.Equal(t, "crash: nosuch: no such service (ENOENT)\n", outs[8])
			assert.Contains(t, outs[9], "crash: which service?")
			assert.Contains(t, outs[10], "crash: unknown option --boom")
			assert.Contains(t, outs[11], "injected crash")
			assert.Contains(t, outs[11], "hung: no answer to a ping in 2ms")
			causes := []string{}
			for _, r := range sum.Restarts {
				causes = append(causes, r.Cause)
			}
			assert.Equal(t, []string{"injected crash", "hung: no answer to a ping in 2ms", "injected crash"}, causes)
		})
	}
}

// In mono every server is in the kernel: an injected crash is a kernel
// panic that stops the system, and the shell never sees the command end.
func TestCrashInMonoIsAKernelPanic(t *testing.T) {
	_, codes, sum, err := session(t, boot.Mono, "crash echo", "echo")
	var p *kernel.Panic
	require.ErrorAs(t, err, &p)
	assert.Equal(t, "echo", p.Server)
	assert.Equal(t, "injected crash", p.Value)
	assert.Equal(t, []int{-1, -1}, codes, "nothing ran after the panic")
	assert.Contains(t, sum.Panic, `in-kernel server "echo" panicked`)
}
