package boot

import (
	"strings"
	"testing"
)

func TestSplitOn(t *testing.T) {
	cases := []struct {
		name, script string
		def          int
		want         []string // one per machine of three
		wantErr      string
	}{
		{"nothing on", "echo a; echo b", 1, []string{"echo a; echo b", "", ""}, ""},
		{"the brief's", "on 2 httpd &; sleep 1; wget http://host2/", 1,
			[]string{" sleep 1; wget http://host2/", "httpd &\n", ""}, ""},
		{"lines", "on 3 echo x\necho y\non 2 echo z", 1, []string{"echo y\n", "echo z\n", "echo x\n"}, ""},
		{"default machine", "echo a; on 1 echo b", 2, []string{"echo b\n", "echo a;", ""}, ""},
		{"and-or stays whole", "on 2 true && echo yes || echo no; echo done", 1,
			[]string{" echo done", "true && echo yes || echo no\n", ""}, ""},
		{"pipeline stays whole", "on 2 ls | wc -l", 1, []string{"", "ls | wc -l\n", ""}, ""},
		{"quoted separators", "on 2 echo 'a; b' \"c & d\" e\\;f; echo g", 1,
			[]string{" echo g", "echo 'a; b' \"c & d\" e\\;f\n", ""}, ""},
		{"comment", "echo a # on 2 x; y\non 3 echo b", 1, []string{"echo a # on 2 x; y\n", "", "echo b\n"}, ""},
		{"inside a loop", "for i in 1 2; do on 2 echo $i; done", 1, []string{"for i in 1 2; do on 2 echo $i; done", "", ""}, ""},
		{"inside if", "if true; then on 2 x; fi; on 3 y", 1, []string{"if true; then on 2 x; fi;", "", "y\n"}, ""},
		{"inside braces", "{ on 2 x; }; on 3 y", 1, []string{"{ on 2 x; };", "", "y\n"}, ""},
		{"inside a subshell", "(on 2 x; y); on 3 z", 1, []string{"(on 2 x; y);", "", "z\n"}, ""},
		{"for as an argument", "echo for; on 2 x", 1, []string{"echo for;", "x\n", ""}, ""},
		{"on as an argument", "echo on 2 x", 1, []string{"echo on 2 x", "", ""}, ""},
		{"no number", "on x y", 1, nil, "on x: not a machine number from 1 to 3"},
		{"number too big", "on 4 y", 1, nil, "on 4: not a machine number from 1 to 3"},
		{"zero", "on 0 y", 1, nil, "on 0: not a machine number"},
		{"no command", "on 2 ; echo", 1, nil, "on 2: no command"},
		{"on alone", "on", 1, nil, "on: want a machine number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SplitOn(c.script, 3, c.def)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("SplitOn(%q) error = %v, want %q", c.script, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("SplitOn(%q) error = %v", c.script, err)
			}
			for i := range c.want {
				if got[i] != c.want[i] {
					t.Errorf("SplitOn(%q)[host%d] = %q, want %q", c.script, i+1, got[i], c.want[i])
				}
			}
		})
	}
}
