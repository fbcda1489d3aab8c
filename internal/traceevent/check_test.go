package traceevent

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The format checker catches what Perfetto would not read.
func TestCheckTraceEventFormatCatches(t *testing.T) {
	for _, c := range []struct {
		name, doc, want string
	}{
		{"not an object", `[]`, "not a JSON object"},
		{"string pid", `{"traceEvents":[{"name":"a","ph":"X","ts":1,"dur":1,"pid":"x","tid":1}]}`, "pid and tid"},
		{"no dur", `{"traceEvents":[{"name":"a","ph":"X","ts":1,"pid":1,"tid":1}]}`, "X needs dur"},
		{"unbound flow", `{"traceEvents":[{"name":"c","cat":"ipc","ph":"s","id":"1","ts":1,"pid":1,"tid":1},{"name":"c","cat":"ipc","ph":"f","bp":"e","id":"1","ts":2,"pid":1,"tid":1}]}`, "does not bind"},
		{"dangling flow", `{"traceEvents":[{"name":"c","cat":"ipc","ph":"s","id":"1","ts":1,"pid":1,"tid":1}]}`, "never ends"},
		{"bad nesting", `{"traceEvents":[{"name":"a","ph":"X","ts":1,"dur":5,"pid":1,"tid":1},{"name":"b","ph":"X","ts":3,"dur":5,"pid":1,"tid":1}]}`, "overlap without nesting"},
		{"string counter", `{"traceEvents":[{"name":"q","ph":"C","ts":1,"pid":1,"tid":0,"args":{"n":"x"}}]}`, "is not a number"},
	} {
		got := Check([]byte(c.doc))
		require.NotEmpty(t, got, "%s: Check() found nothing", c.name)
		assert.Contains(t, got[0], c.want, c.name)
	}
}
