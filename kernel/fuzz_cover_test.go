package kernel_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/mkos/mkos/ipc"
)

// TestFuzzSyscallsCoversSys: FuzzSyscalls's programs make every system
// call there is: each method of ipc.Sys appears as a call in fuzz_test.go,
// so a method added to Sys without a fuzzed use fails here.
func TestFuzzSyscallsCoversSys(t *testing.T) {
	src, err := os.ReadFile("fuzz_test.go")
	if err != nil {
		t.Fatal(err)
	}
	sys := reflect.TypeFor[ipc.Sys]()
	for i := range sys.NumMethod() {
		name := sys.Method(i).Name
		if !strings.Contains(string(src), "sys."+name+"(") {
			t.Errorf("FuzzSyscalls never calls sys.%s", name)
		}
	}
}
