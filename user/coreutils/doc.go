// Package coreutils holds the utilities a user of mkos reaches for, one
// small file each, over the system-call library (user/ulib): they read
// and write descriptors 0, 1 and 2 like any Unix program, so the shell can
// pipe and redirect them. Programs is the path → program table boot gives
// pm (/bin/ls, /bin/cat, …).
//
// Messages follow GNU's: "ls: /nope: no such file or directory" on the
// standard error, and the status 1 (2 for a usage error). Listings leave
// out times: they depend on the placement mode, and transcripts stay the
// same in micro, mono and hybrid. Owners are named from /etc/passwd and
// /etc/group (ulib's Names); id, su, login, chmod and chown are the
// utilities of users and permissions.
//
// The filters (sort, uniq, cut, tr, tee, seq, printf, xargs: lines.go,
// sort.go, filter.go, printf.go), the tests (test and [: test.go), the
// walkers (find, du: find.go), diff (diff.go), the dumps (od, hexdump:
// od.go), names (basename, dirname, date on the virtual clock: names.go),
// the runners (env, xargs, time: run.go), who and where (whoami,
// hostname, uname; yes and tac: sysinfo.go) and help (help.go, with
// Summaries, one line per program) follow POSIX's options where they
// have them; tests/testdata/sh/*.sh check them against their expected
// outputs. A failed write names the file written (writeerr.go).
//
// Imports: ipc, ipc/pmproto, ipc/fsproto, ipc/rsproto, user/ulib.
package coreutils
