package fscmd

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name, script string
		want         []string
	}{
		{"semicolons", "mkdir /d; ls /d ;cat /a", []string{"mkdir /d", "ls /d", "cat /a"}},
		{"lines and comments", "# setup\nmkdir /d\n\n  # more\nls", []string{"mkdir /d", "ls"}},
		{"quoted semicolon", `write /a "x; y"; cat /a`, []string{`write /a "x; y"`, "cat /a"}},
		{"escaped quote", `write /a "say \"hi\"; ok"`, []string{`write /a "say \"hi\"; ok"`}},
		{"empty", " ; ;\n", nil},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Split(tc.script), tc.name)
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string
		err        bool
	}{
		{"plain", "write /a hello  world", []string{"write", "/a", "hello", "world"}, false},
		{"quotes", `write "/a b" "two words"`, []string{"write", "/a b", "two words"}, false},
		{"escapes", `write /a "x\ny\t\"z\"\\"`, []string{"write", "/a", "x\ny\t\"z\"\\"}, false},
		{"empty quotes", `cat ""`, []string{"cat", ""}, false},
		{"unterminated", `cat "a`, nil, true},
	}
	for _, tc := range tests {
		got, err := Words(tc.line)
		if tc.err {
			assert.Error(t, err, tc.name)
			continue
		}
		assert.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
}

func TestModeString(t *testing.T) {
	assert.Equal(t, "drwxr-xr-x", ModeString(0o40755))
	assert.Equal(t, "-rw-------", ModeString(0o100600))
	assert.Equal(t, "lrwxrwxrwx", ModeString(0o120777))
}

func TestEveryCommandIsDocumented(t *testing.T) {
	for name, c := range Commands {
		assert.NotEmpty(t, c.help, name)
		assert.Regexp(t, "^"+name+"( |$)", c.usage, name)
		assert.NotNil(t, c.run, name)
	}
}
