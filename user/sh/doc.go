// Package sh is the shell, /bin/sh: a small POSIX-style command
// interpreter over the system-call library. Read it in this order:
//
//	lex.go      text → tokens; words keep their quoting as parts
//	parse.go    tokens → lists, and-or lists, pipelines, commands
//	expand.go   $x, ${x}, $?, $$, $!, $#, $@, $1…; field splitting
//	redir.go    <, >, >>, N>, N>&M, N>&-
//	exec.go     pipelines through the pipe service, spawning, waiting
//	jobs.go     background jobs, process groups, reaping
//	builtin.go  cd, pwd, exit, export, unset, set, wait, jobs, ., :
//	sh.go       sh -c, sh FILE, reading the standard input, prompts
//
// What it has: pipelines, redirections, ; && || & and !, variables
// (x=1, x=1 cmd, export), quoting ('…', "…", \), comments, $? with POSIX
// statuses (127: not found, 126: cannot run, 128+n: killed by signal n),
// set -e, -x and -m, and job control when interactive: each job in its
// own process group, the terminal's foreground given to it. What it lacks:
// if/while/for, functions, globs, command substitution, here-documents,
// fg/bg (pm does not stop processes).
//
// Errors read as in other shells: "sh: foo: command not found",
// "sh: cannot open x: no such file or directory",
// "sh: line 1: syntax error: unexpected '|'".
//
// Imports: ipc, ipc/pmproto, user/ulib, user/svcutil (the svc builtin,
// which must work while pm is stopped).
package sh
