// Package boottest boots whole systems for the hostile tests and fuzz
// targets of the servers: every server placed in the kernel (mono mode),
// so that a panic in any handler is a kernel panic the test sees, with
// the disk, swap, console and data store they talk to. It is for tests
// only, as net/http/httptest is.
//
// Imports: boot, kernel/kerneltest, ipc and the protocol packages (boot's
// rule: it is under boot).
package boottest
