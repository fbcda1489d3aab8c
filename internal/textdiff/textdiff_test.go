package textdiff

import "testing"

func TestFirstLine(t *testing.T) {
	tests := []struct{ name, got, want, out string }{
		{"second line", "a\nb\nc", "a\nx\nc", "line 2:\n got  \"b\"\n want \"x\""},
		{"one longer", "a\nb", "a\nb\nc", "line 3:\n got  \"\"\n want \"c\""},
		{"equal", "a", "a", "no line (lengths differ)"},
	}
	for _, tt := range tests {
		if out := FirstLine(tt.got, tt.want); out != tt.out {
			t.Errorf("%s: FirstLine() = %q, want %q", tt.name, out, tt.out)
		}
	}
}
