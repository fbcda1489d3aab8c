// Package user is the parent of user space: the system-call library (ulib)
// and the programs that run as tasks — init (user/init), the shell
// (user/sh), the coreutils (user/coreutils), svc and crash (user/svcutil);
// programs is the /bin table pm gets; workload holds the demo and
// benchmark programs.
//
// Imports: user code imports ipc and the protocol packages under ipc only —
// never the kernel, a server or a driver. A program reaches the system the
// way a real one does: through system calls and messages.
package user
