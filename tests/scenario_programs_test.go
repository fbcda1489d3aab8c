package tests

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/user/programs"
)

// programs boots the base system and runs programs of user/programs'
// Registry one after another from one task, the way a shell script would:
//
//	programs <flags> -- svc list; crash echo; sleep 2; svc log
//
// It prints each command after "$ ", its output, and "[exit N]" when it
// fails; then the restart lines of the run summary and, if the system
// halted, the halt (the commands after the panic never run).
func (s *scenario) programs(args []string) (string, error) {
	cfg, rest, err := s.flags("programs", args)
	if err != nil {
		return "", err
	}
	script := strings.Join(rest, " ")
	if strings.TrimSpace(script) == "" {
		return "", fmt.Errorf("programs: no commands after the flags and --")
	}
	sys, err := boot.Boot(cfg, nil)
	if err != nil {
		return "error: " + err.Error(), nil
	}
	defer sys.Close()
	var out strings.Builder
	bin := programs.Registry(&out)
	if _, err := sys.Kernel.Spawn(ipc.TaskSpec{Name: "script", Body: func(sys ipc.Sys) {
		for _, cmd := range strings.Split(script, ";") {
			argv := strings.Fields(cmd)
			if len(argv) == 0 {
				continue
			}
			fmt.Fprintf(&out, "$ %s\n", strings.Join(argv, " "))
			prog, ok := bin["/bin/"+argv[0]]
			if !ok {
				fmt.Fprintf(&out, "%s: command not found\n", argv[0])
				continue
			}
			if code := prog(sys, argv, nil); code != 0 {
				fmt.Fprintf(&out, "[exit %d]\n", code)
			}
		}
	}}); err != nil {
		return "", err
	}
	sum, runErr := sys.Run()
	for _, r := range sum.Restarts {
		fmt.Fprintf(&out, "restart at %s: %s %s → %s (%s)\n", kernel.FormatNs(r.TimeNs), r.Server, r.Old, r.New, r.Cause)
	}
	if runErr != nil {
		fmt.Fprintf(&out, "halted: %v\n", runErr)
	}
	return out.String(), nil
}
