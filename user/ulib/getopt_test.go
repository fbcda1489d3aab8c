package ulib

import (
	"fmt"
	"testing"
)

func TestGetopt(t *testing.T) {
	tests := []struct {
		name, spec string
		args       []string
		want       string // the options and the arguments left, or the error
	}{
		{"flags grouped", "la", []string{"-la", "x"}, "map[97: 108:] [x]"},
		{"a value apart", "c:", []string{"-c", "5", "host"}, "map[99:5] [host]"},
		{"a value joined", "c:", []string{"-c5", "host"}, "map[99:5] [host]"},
		{"stops at --", "l", []string{"-l", "--", "-x"}, "map[108:] [-x]"},
		{"stops at -", "l", []string{"-", "-l"}, "map[] [- -l]"},
		{"stops at an argument", "l", []string{"a", "-l"}, "map[] [a -l]"},
		{"unknown letter", "l", []string{"-z"}, "invalid option -- 'z'"},
		{"missing value", "c:", []string{"-c"}, "option requires an argument -- 'c'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, rest, err := Getopt(tt.args, tt.spec)
			got := fmt.Sprint(opts, " ", rest)
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Getopt(%q, %q) = %s, want %s", tt.args, tt.spec, got, tt.want)
			}
		})
	}
}
