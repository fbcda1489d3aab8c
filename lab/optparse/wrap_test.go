package optparse

import (
	"slices"
	"testing"
)

// TestWrap compares wrap with Python 3.11's textwrap.wrap on the same
// text and width (the wants were printed by Python).
func TestWrap(t *testing.T) {
	tests := []struct {
		name, text string
		width      int
		want       []string
	}{
		{"malloc's -l: cut after INSERT-", "list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK)", 54,
			[]string{"list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-", "FRONT, INSERT-BACK)"}},
		{"hyphens that cut and one that does not", "a well-known self-evident re-run of x-y-z a-b-c", 10,
			[]string{"a well-", "known", "self-", "evident", "re-run of", "x-y-z", "a-b-c"}},
		{"a word longer than the line", "supercalifragilisticexpialidocious-word here", 12,
			[]string{"supercalifra", "gilisticexpi", "alidocious-", "word here"}},
		{"spaces dropped at the ends", "  leading and   inner   spaces  ", 8, []string{"leading", "and", "inner", "spaces"}},
		{"a long word cut after its hyphen", "-1->no align", 5, []string{"-1-", ">no", "align"}},
		{"nothing", "", 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wrap(tt.text, tt.width); !slices.Equal(got, tt.want) {
				t.Errorf("wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}
