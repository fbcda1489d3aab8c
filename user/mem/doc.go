// Package mem is the user-space side of memory: typed loads and stores
// over Sys.Load and Sys.Store (bytes, little-endian words, NUL-terminated
// strings) and a heap allocator over mm's brk. Every access goes through
// the simulated MMU; a page the task has not touched faults to mm first.
//
// Imports: ipc and ipc/mmproto only.
package mem
