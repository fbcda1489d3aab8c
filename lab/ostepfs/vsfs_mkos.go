package ostepfs

import (
	"fmt"
	"io"
)

// vsfsOnMkos replays ops on mkos's file server and says what it did.
func vsfsOnMkos(ops []vsfsOp, out, errw io.Writer) int {
	fmt.Fprintf(errw, "mkos ostep vsfs: --mkos is not implemented yet (%d operations)\n", len(ops))
	return 1
}
