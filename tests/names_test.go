package tests

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
)

// Every service a system can boot has its request names registered, so a
// trace says "fs.open", never "type=1"; its first request type is named.
func TestEveryServiceNamesItsRequests(t *testing.T) {
	registered := ipc.RegisteredServices()
	names := []string{boot.ConsoleService}
	for name := range boot.Servers {
		if _, variant := boot.Variants[name]; !variant {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		assert.Contains(t, registered, name, "ipc.RegisteredServices(): %s registers no names", name)
		got := ipc.TypeName(name, 1)
		assert.False(t, strings.Contains(got, "type="), "TypeName(%q, 1) = %q, want a request name", name, got)
	}
}
