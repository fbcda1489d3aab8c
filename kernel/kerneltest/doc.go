// Package kerneltest runs the hostile tests and fuzz targets of servers
// and client stubs against the real kernel: a server's handler placed in
// the kernel (so that a panic in it is a kernel panic the test sees), and
// a fake server task that answers a stub's requests with whatever the test
// says (so that a panic in the stub is a program's death the test sees).
// It is for tests only, as net/http/httptest is.
//
// Imports: kernel and ipc (kernel's rule: it is under kernel).
package kerneltest
