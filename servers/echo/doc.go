// Package echo is the echo server: it returns what it is sent, inline or
// through the kernel-checked bulk window. It is the smallest server with
// data, used by the demo, the tests and the benchmarks. Its Crash request
// panics on purpose. It counts the requests it echoed, a state that moves
// to the next instance in a live update (state.go); echo2 (fixed.go)
// refuses Crash, echo-faulty cannot read the state and is rolled back.
//
// Imports: ipc, ipc/echoproto.
package echo
