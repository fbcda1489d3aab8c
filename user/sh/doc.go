// Package sh is the shell, /bin/sh: a small POSIX-style command
// interpreter over the system-call library. Read it in this order:
//
//	lex.go            text → tokens; words keep their quoting as parts
//	lex_subst.go      $(…), `…`, $((…)), here-documents' bodies
//	parse.go          tokens → lists, and-or lists, pipelines, commands
//	parse_compound.go if, while, until, for, case, { }, ( ), functions
//	expand.go         $x, ${x}, $?, $$, $!, $#, $@, $1…; field splitting
//	ifs.go            field splitting by $IFS, and read's
//	paramop.go        ${#x} ${x:-y} ${x:=y} ${x:+y} ${x:?y} ${x%y} ${x#y} …
//	arith.go          $((…)): C's integer operators
//	glob.go           patterns: pathname expansion, case's matching
//	redir.go          <, >, >>, N>, N>&M, N>&-, << and <<-; builtins' write errors
//	exec.go           pipelines through the pipe service, spawning, waiting
//	exec_compound.go  compound commands, functions, subshells, $(…)
//	jobs.go           background jobs, process groups, reaping
//	jobctl.go         stopped jobs, fg, bg, kill's job specs (%N)
//	builtin.go        cd, pwd, exit, export, unset, set, wait, jobs, fg, bg, ., :
//	builtin_flow.go   return, break, continue, shift, local, read, eval
//	builtin_svc.go    svc (works while pm is stopped)
//	builtin_type.go   type, command -v and -V
//	sh.go             sh -c, sh FILE, reading the standard input, prompts
//	edit.go           line editing and history on a terminal (raw mode)
//
// What it has: pipelines, redirections, ; && || & and !, variables
// (x=1, x=1 cmd, export), quoting ('…', "…", \), comments, $? with POSIX
// statuses (127: not found, 126: cannot run, 128+n: killed by signal n),
// if/elif/else, while, until, for, case, functions (local, return),
// command substitution, arithmetic, globs, here-documents, set -e, -x
// and -m, and job control when interactive: each job in its own process
// group, the terminal's foreground given to it. A compound command or a
// function runs in the shell itself with its descriptors redirected; a
// subshell ( … ) or $( … ) runs there too, its variables, functions and
// directory put back afterwards; $( … ) and here-documents go through a
// file in /tmp. On a terminal it edits the line itself (arrows, ^A, ^E,
// ^R, history), and ^Z stops the foreground job: fg and bg continue it
// (jobctl.go; pm stops a process at its next library call, so a job
// that only computes stops when its computing ends).
//
// Errors read as in other shells: "sh: foo: command not found",
// "sh: cannot open x: no such file or directory",
// "sh: line 1: syntax error: unexpected '|'".
//
// Imports: ipc, ipc/linux, ipc/pmproto, ipc/streamproto, user/ulib,
// user/svcutil (the svc builtin, which must work while pm is stopped).
package sh
