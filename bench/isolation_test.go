package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/boot"
)

func TestWithIsolations(t *testing.T) {
	ps := Placements([]boot.Mode{boot.Micro, boot.Mono, boot.Hybrid}, false, nil, "")
	for _, c := range []struct {
		name string
		isos []string
		want []string
	}{
		{"task", []string{"task"}, []string{"micro", "mono", "hybrid"}},
		{"process", []string{"process"}, []string{"micro/process", "hybrid/process"}},
		{"both", []string{"task", "process"}, []string{"micro", "mono", "hybrid", "micro/process", "hybrid/process"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, p := range WithIsolations(ps, c.isos) {
				got = append(got, p.Label)
				wantIso := ""
				if p.Label != string(p.Setup.Mode) {
					wantIso = boot.IsolationProcess
				}
				assert.Equal(t, wantIso, p.Setup.Isolation, "%s: Setup.Isolation", p.Label)
			}
			assert.Equal(t, c.want, got, "WithIsolations() labels")
		})
	}
}
