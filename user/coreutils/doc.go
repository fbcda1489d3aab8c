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
// Imports: ipc, ipc/pmproto, ipc/fsproto, ipc/rsproto, user/ulib.
package coreutils
