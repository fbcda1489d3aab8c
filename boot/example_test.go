package boot_test

import (
	"fmt"

	"github.com/mkos/mkos/boot"
)

// Boot the default system (echo and null servers, three demo clients) in
// each mode, crash echo once, and compare: the same workload, three
// placements, three outcomes.
func Example() {
	for _, mode := range boot.Modes {
		cfg := boot.Default()
		cfg.Mode = mode
		cfg.Workload.CrashAt = 3
		sys, err := boot.Boot(cfg, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		sum, err := sys.Run()
		sys.Close()
		fmt.Printf("%-6s clients finished %d/%d, restarts %d, halted %v\n",
			mode, sum.Workload.Finished, sum.Workload.Clients, len(sum.Restarts), err != nil)
	}
	// Output:
	// micro  clients finished 3/3, restarts 1, halted false
	// mono   clients finished 0/3, restarts 0, halted true
	// hybrid clients finished 3/3, restarts 1, halted false
}
