package tracefmt

import (
	"testing"

	"go.uber.org/goleak"
)

// The tests boot kernels, whose tasks are coroutines: none may outlive a
// test.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
