package schedlab

import (
	"os"
	"strings"
	"testing"
)

func TestLocalFuzz(t *testing.T) {
	dir := os.Getenv("SCHEDLAB_FUZZ")
	if dir == "" {
		return
	}
	bad := 0
	cases := loadCases(t, dir+"/*.txt")
	for _, c := range cases {
		l, solve, err := labFor(c.tool, c.args)
		if err != nil {
			t.Errorf("%s %s %v: %v", c.name, c.tool, c.args, err)
			bad++
			continue
		}
		var b strings.Builder
		if err := l.WriteText(&b, solve); err != nil {
			t.Errorf("%s %s %v: %v", c.name, c.tool, c.args, err)
			bad++
			continue
		}
		if got := b.String(); got != c.out {
			bad++
			t.Errorf("%s %s %v: differs at %s", c.name, c.tool, c.args, firstDiff(got, c.out))
		}
	}
	t.Logf("%d of %d bad", bad, len(cases))
}
