// Package null is the null server: every request succeeds and does nothing.
// A call to it measures the bare cost of a crossing in each placement.
//
// Imports: ipc.
package null
