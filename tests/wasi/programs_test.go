package wasi_test

import (
	"strings"
	"testing"

	"github.com/mkos/mkos/boot"
)

// What a WebAssembly program sees of its system: arguments, environment,
// exit status, working directory, files and directories through the file
// server, pipes and redirections through the shell, errors as errno.
func TestPrograms(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   string
	}{
		{"args", "probe args a 'b c' ''", "a\nb c\n\n"},
		{"env", "X=42 probe env X; export Y=why; probe env Y", "42\nwhy\n"},
		{"exit status", "probe exit 7; echo $?; probe exit 0 && echo zero", "7\nzero\n"},
		{"cwd", "mkdir /d; cd /d; probe cwd; probe write f 3; cat /d/f | wc -c", "/d\n3 " + sumOf(3) + "\n3\n"},
		{"found through PATH", "PATH=/opt/x:/bin; probe args ok; /bin/probe args abs", "ok\nabs\n"},
		{"any name with the magic", "cp /bin/probe /tmp/p; chmod 755 /tmp/p; /tmp/p args copied", "copied\n"},
		{"write then read", "probe write /tmp/f 100000; probe sum /tmp/f; ls -l /tmp/f | wc -l",
			"100000 " + sumOf(100000) + "\n100000 " + sumOf(100000) + "\n1\n"},
		{"large write and read", "probe write /tmp/big 3000000 >/dev/null; probe sum /tmp/big",
			"3000000 " + sumOf(3000000) + "\n"},
		{"directories", "probe mkdir /d; probe write /d/a 1 >/dev/null; probe mkdir /d/sub; probe ls /d; " +
			"probe mv /d/a /d/b; probe ls /d; probe rm /d/b; probe rm /d/sub; probe ls /d; echo end",
			"a file\nsub dir\nb file\nsub dir\nend\n"},
		{"pipe from wasm to native and back", "probe args x y z | cat | wc.wasm -l", "      3\n"},
		{"pipe between two wasm programs", "probe args one two three | probe cat | wc.wasm -w", "      3\n"},
		{"redirections", "probe args hi there > /tmp/o; probe cat < /tmp/o; wc.wasm -l /tmp/o; probe args again >> /tmp/o; wc.wasm -l < /tmp/o",
			"hi\nthere\n      2 /tmp/o\n      3\n"},
		{"stderr redirected", "probe open /nope/x 2>/dev/null; probe sum /nope 2>/tmp/e; echo $?; wc.wasm -l < /tmp/e", "ENOENT\n1\n      1\n"},
		{"ENOENT", "probe open /nope", "ENOENT\n"},
		{"EISDIR creating a directory's name", "probe create /tmp", "EISDIR\n"},
		{"EISDIR reading a directory", "probe open /tmp", "EISDIR\n"},
		{"ENOTEMPTY", "probe mkdir /d; probe write /d/f 1 >/dev/null; probe rm /d 2>&1 | wc.wasm -l; ls /d", "      1\nf\n"},
		{"not a program", "echo text > /tmp/t; chmod 755 /tmp/t; /tmp/t; echo $?", "126\n"},
		{"sleep in virtual time", "probe sleep 250", "250ms\n"},
		{"kill stops it", "probe sleep 100000 & kill $!; wait $!; echo $?", "143\n"},
		{"kill -9 stops a computing program", "probe spin 40 & sleep 0.01; kill -9 $!; wait $!; echo $?", "137\n"},
		{"shows in ps", "probe sleep 1000 & ps | grep -c probe; kill $!", "1\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := sh(t, boot.Micro, "", tc.script)
			if r.out != tc.want {
				t.Errorf("sh -c %q = %q (stderr %q, status %d), want %q", tc.script, r.out, r.err, r.status, tc.want)
			}
		})
	}
}

// sumOf is what probe prints as the sum of its n-byte pattern.
func sumOf(n int) string {
	var s uint32
	for i := range n {
		s = s*31 + uint32(byte(i*7+i/251))
	}
	return itoa(uint64(s))
}

func itoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v /= 10 {
		b = append([]byte{byte('0' + v%10)}, b...)
	}
	return string(b)
}

// A program runs the same in every mode: the file server in its own task,
// in the kernel, or as configured.
func TestProgramsInEveryMode(t *testing.T) {
	script := "mkdir /w; cd /w; probe write f 5000; probe args a b | wc.wasm -l; probe ls /w; probe exit 3; echo $?"
	want := "5000 " + sumOf(5000) + "\n      2\nf file\n3\n"
	for _, mode := range []boot.Mode{boot.Micro, boot.Mono, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			r := sh(t, mode, "", script)
			if r.out != want {
				t.Errorf("%s: sh -c %q = %q (stderr %q), want %q", mode, script, r.out, r.err, want)
			}
		})
	}
}

// Permissions: an ordinary user's program gets EACCES from the file
// server, and a module without the execute bit, or in a directory the
// user cannot search, does not run for them.
func TestProgramsAsAUser(t *testing.T) {
	noexec := file{"/home/user/noexec", modules["probe"], 0o644}
	hidden := file{"/root/hidden", modules["probe"], 0o755}
	// /root is 0700: a module there, or no file at all, is EACCES to the
	// user alike — pm reads the file as itself only once the user may.
	r := sh(t, boot.Micro, "user", "probe create /etc/x; probe open /root/y; /home/user/noexec args x; echo $?; "+
		"/root/hidden args x; echo $?; /root/nothing; echo $?", noexec, hidden)
	want := "EACCES\nEACCES\n126\n126\n126\n"
	if r.out != want {
		t.Errorf("as user: %q (stderr %q), want %q", r.out, r.err, want)
	}
	if !strings.Contains(r.err, "ermission denied") {
		t.Errorf("stderr = %q, want the shell's permission denied", r.err)
	}
}
