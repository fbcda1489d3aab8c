package ipc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
)

func TestTypeName(t *testing.T) {
	ipc.RegisterNames("names-test", map[ipc.Type]string{1: "open", 2: "read"})
	for _, c := range []struct {
		name    string
		service string
		typ     ipc.Type
		want    string
	}{
		{"registered", "names-test", 1, "names-test.open"},
		{"another", "names-test", 2, "names-test.read"},
		{"unnamed type", "names-test", 9, "names-test.type=9"},
		{"unknown service", "", 1, "type=1"},
		{"unregistered service", "nobody", 1, "nobody.type=1"},
		{"kernel type", "names-test", ipc.Ping, "ping"},
		{"page fault", "", ipc.PageFault, "pagefault"},
	} {
		assert.Equal(t, c.want, ipc.TypeName(c.service, c.typ), "%s: TypeName(%q, %d)", c.name, c.service, c.typ)
	}
}
