// Package fscmd is a minimal non-interactive command runner for the file
// system: it runs a script of commands such as
//
//	mkdir /d; write /d/a hello world; cat /d/a; ls /d; stat /d/a; rm /d/a
//
// as a user program inside a booted system, through the file server's
// client stubs (ipc/fsproto) and nothing else, and prints what each command
// did: the file server's scenario tests are such scripts, so they test the
// server alone. (`mkos run -c` runs the real shell, user/sh.) The commands
// are listed in Commands.
//
// Commands are separated by ";" or new lines; words by spaces. A word in
// double quotes may hold spaces, ";" and the escapes \n, \t, \" and \\.
// A line starting with "#" is a comment. A failing command prints
// "NAME ARGS: error text (ENAME)" on the error output and the script goes
// on; Run returns how many failed.
//
// Imports: ipc, ipc/fsproto.
package fscmd
