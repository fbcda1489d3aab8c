// Package pmproto is the protocol of the process manager (pm): its request
// types and the payload words of each, the records that travel through the
// bulk windows (a spawn's path, argv, environment and descriptors; the ps
// listing), the signal numbers and the notification bits that carry them,
// the wait-status encoding, and the typed stubs (Client) that programs and
// the system-call library call.
//
// # Numbers
//
// Signals, errno values and wait statuses are Linux's, taken from
// ipc/linux whatever the host: SIGKILL is 9, a child that exited with code 3 has
// the wait status 3<<8, one killed by SIGTERM the status 15. Errors are the
// Errno in the reply: ESRCH (no such process or group), ECHILD (no child to
// wait for), EINVAL (a bad signal or argument), ENOENT (no program at that
// path), ENOEXEC (the file exists but pm has no code for it), EAGAIN (the
// process table is full), E2BIG (argv and environment above ipc.MaxBulk),
// EPERM (a process group that does not exist, an attach with a wrong
// token, a signal to another user's process, a Setcred by someone not
// root), EACCES (a program file whose mode refuses the caller execute
// permission), EINTR (a wait interrupted by a caught signal).
//
// # Users
//
// Every process acts for a user: a uid and a gid (ipc.Cred), which the
// kernel keeps with its task and pm records. A child gets its parent's;
// Setcred changes the caller's (root only, for su and login). A signal
// needs the sender to be root or to have the target's uid.
//
// # Processes and tasks
//
// A pid is pm's name for a process, distinct from the kernel endpoint of
// the task that runs it. A task that pm did not spawn becomes a process the
// first time it asks for something that needs a pid (it is adopted, with
// parent 0); the first process pm ever creates gets pid 1 and is init, the
// parent of every orphan.
//
// # Signals
//
// A signal a process catches reaches it as a notification bit,
// SignalBit(sig), ORed into its pending notifications by pm; the program's
// library runs the handler when it next takes its notifications (Sys.Poll,
// or a Receive while it blocks). Bits 0–30 carry signals 1–31; bits 32–62
// are the program's own (its timers); bit 63 is the kernel's death notice.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, or a count or length past the buffer it describes, is
// garbage, and the stub returns ipc.ErrBadReply (EIO) instead of
// believing it; a stub never panics on a reply.
//
// Imports: ipc and ipc/linux (for the numbers) only.
package pmproto
