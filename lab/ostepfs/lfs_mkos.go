package ostepfs

import (
	"fmt"
	"io"
)

// lfsOnMkos replays the commands on mkos's file server.
func lfsOnMkos(cmds []string, out, errw io.Writer) int {
	fmt.Fprintf(errw, "mkos ostep lfs: --mkos is not implemented yet (%d commands)\n", len(cmds))
	return 1
}
