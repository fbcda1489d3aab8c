// Package echo is the echo server: it returns what it is sent, inline or
// through the kernel-checked bulk window. It is the smallest server with
// data, used by the demo, the tests and the benchmarks. Its Crash request
// panics on purpose. It serves request/streams too (stream.go), without
// ever blocking: the example of a server that streams.
//
// Imports: ipc, ipc/echoproto.
package echo
